"""Small word lists the features and normalisers share (lower-case, without dots).

Hand-written from general knowledge of citation styles: the CRF learns most of
what it needs from the tokens themselves; these lists help it on words it has
rarely seen (a new journal abbreviation, a month in another language).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """A word list written as one string, for readability."""
    return frozenset(text.split())


MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            "jan january januari januar janvier enero gennaio janeiro ene",
            "feb february februari februar février fevrier febrero febbraio fevereiro",
            "mar march maart märz marz mars marzo março mrt",
            "apr april avril abril aprile",
            "may mei mai mayo maggio maio",
            "jun june juni juin junio giugno junho",
            "jul july juli juillet julio luglio julho",
            "aug august augustus août aout agosto ago",
            "sep sept september septembre septiembre settembre setembro set",
            "oct october oktober octobre octubre ottobre outubro okt out",
            "nov november novembre noviembre novembro",
            "dec december dezember décembre decembre diciembre dicembre dezembro dez dic",
        ],
        start=1,
    )
    for name in names.split()
}
"""Month names and abbreviations in English, Dutch, German, French, Spanish, Italian,
Portuguese."""

SEASONS = _words(
    """spring summer autumn fall winter lente zomer herfst frühling frühjahr sommer herbst
    printemps été automne hiver primavera verano otoño invierno"""
)
"""Seasons that date a journal issue (``Winter 1998``), in the same languages."""

JOURNAL_WORDS = _words(
    """j jour journal rev review proc proceedings med medicine sci science sciences res
    research am int ann annals bull bulletin trans transactions lett letters acta arch
    clin biol chem phys psychol soc nat natl acad eur br brit engl j. quart q curr
    opin adv appl comput eng neurosci pharmacol physiol surg ther endocrinol immunol
    microbiol mol cell genet ecol environ geophys astron astrophys math stat econ
    educ health public nurs dent oncol cardiol gastroenterol pediatr psychiatry
    zeitschrift tijdschrift revue revista rivista anal biochem biophys commun
    syst reports rep"""
)
"""Words that make up journal names and their ISO 4 abbreviations."""

PUBLISHER_WORDS = _words(
    """press university univ verlag publishers publishing publisher inc ltd llc co
    company books editions éditions editorial editora uitgeverij springer elsevier
    wiley routledge sage academic society institute"""
)

EDITOR_MARKERS = _words(
    """ed eds ed. eds. editor editors edited hrsg hrsg. red red. éd éds dir dirs
    coord comp comps (ed.) (eds.) (hrsg.) (red.) (ed) (eds) (hrsg) (red)"""
)

CONTAINER_MARKERS = frozenset({"in", "in:", "dans", "dans:", "en", "en:", "im", "im:"})

ACCESS_WORDS = _words(
    """accessed cited retrieved available geraadpleegd abgerufen zugegriffen
    consulté consulte consultado accedido visited viewed"""
)

GENRE_WORDS = _words(
    """thesis dissertation phd ph.d. doctoral master's masters msc proefschrift
    doctoraal diss habilitation report technical working paper preprint arxiv
    conference proceedings symposium workshop congress meeting dataset data
    software"""
)

ET_AL = frozenset({"et", "al", "al.", "u.", "a.", "u.a.", "e.a.", "ea", "ua"})
"""Pieces of ``et al.``, German ``u. a.`` and Dutch ``e.a.``."""

LINK_WORDS = _words("of and the for in on to & de la le des du et für und der van voor di e del y")
"""Small words a title-case name leaves in lower case (``Journal of the History of ...``)."""

PARTICLES = _words(
    """van von der den de del della di da das dos du la le les ten ter te zu vander
    d' l' y st"""
)
"""Name particles: ``van der``, ``de la``, ``von``..."""

ORGANISATION_WORDS = _words(
    """institute institutes institut instituut national international organization
    organisation association society council committee agency department ministry
    university college foundation centre center office bureau board group consortium
    commission federation services health world office"""
)
"""Words that show an author is an organisation, not a person."""

HYPHEN_PREFIXES = _words(
    "self non well cross meta follow long short high low double single half quasi ex all "
    "third second first two three four multi-"
)
HYPHEN_SUFFIXES = _words(
    "like based related induced dependent specific term free mediated associated derived "
    "type scale wide time year old level care risk sectional blind controlled label up "
    "based making reported rated specific oriented sensitive resistant positive negative "
    "dose fold"
)
"""Line-end hyphens kept before/after these: ``self-reported``, ``dose-dependent``."""


VOLUME_WORDS = _words(
    "v vol vols volume bd band jg jaargang t tome tomo no nr n num issue heft suppl part pt "
    "série serie series"
)
"""Words that announce a volume or an issue number (``Vol.``, ``Heft``, ``No.``)."""
