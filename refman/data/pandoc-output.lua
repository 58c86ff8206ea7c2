-- refman's clean-up of pandoc's citeproc output (runs after --citeproc), in one walk:
-- * A note style renders a citation as a footnote: for `refman cite` its text is the
--   citation, so notes are unwrapped.
-- * Plain text cannot hold superscript, so superscript citation numbers (Nature, AMA)
--   become Unicode superscript digits.
-- * Words refman protected from title-casing (class "nocase") and the bare spans
--   pandoc puts around quotations lose their wrapper, as in citeproc-js's output.
-- * Italics inside italics (a species name in an italic book title) turn roman, as
--   CSL's flip-flop rule and citeproc-js do; pandoc would nest the emphasis.

local SUPERSCRIPT = {
  ["0"] = "⁰", ["1"] = "¹", ["2"] = "²", ["3"] = "³", ["4"] = "⁴",
  ["5"] = "⁵", ["6"] = "⁶", ["7"] = "⁷", ["8"] = "⁸", ["9"] = "⁹",
  ["-"] = "⁻", ["–"] = "⁻", [","] = ",", [" "] = " ",
}
local ROMAN = pandoc.Attr("", {}, { { "style", "font-style:normal;" } })

local function to_superscript(text)
  local out = {}
  for _, code in utf8.codes(text) do
    local mapped = SUPERSCRIPT[utf8.char(code)]
    if mapped == nil then
      return nil
    end
    out[#out + 1] = mapped
  end
  return table.concat(out)
end

local function note(element)
  return pandoc.utils.blocks_to_inlines(element.content)
end

local function superscript(element)
  if FORMAT ~= "plain" then
    return nil
  end
  local mapped = to_superscript(pandoc.utils.stringify(element))
  if mapped == nil then
    return nil
  end
  return pandoc.Str(mapped)
end

local function span(element)
  local bare = element.identifier == "" and #element.classes == 0 and #element.attributes == 0
  if bare or element.classes:includes("nocase") then
    return element.content
  end
  return nil
end

local function emph(element)
  element.content = element.content:walk({
    Emph = function(inner)
      return pandoc.Span(inner.content, ROMAN)
    end,
  })
  return element
end

function Pandoc(doc)
  return doc:walk({ Note = note, Superscript = superscript, Span = span, Emph = emph })
end
