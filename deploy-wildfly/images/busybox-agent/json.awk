# Prints the raw JSON text of one value of a JSON document read from stdin.
#   busybox awk -v path=input.message -f json.awk < body.json
# The path names object members from the top ("input.message"); the value is printed exactly as it
# appears (a string keeps its quotes and escapes, so it can be pasted into JSON as is). Exits 1
# when the document is not an object or a member is missing. Crude on purpose: no arrays in the
# path, no unescaping of member names; enough for an agent's request.

function ws() {
  while (pos <= n && index(" \t\r\n", substr(s, pos, 1)) > 0) pos++
}

# pos at an opening quote; moves past the closing one
function skip_string(   c) {
  pos++
  while (pos <= n) {
    c = substr(s, pos, 1)
    if (c == "\\") { pos += 2; continue }
    pos++
    if (c == "\"") return 1
  }
  return 0
}

function skip_value(   c, depth) {
  ws()
  c = substr(s, pos, 1)
  if (c == "\"") return skip_string()
  if (c == "{" || c == "[") {
    depth = 0
    while (pos <= n) {
      c = substr(s, pos, 1)
      if (c == "\"") { if (!skip_string()) return 0; continue }
      if (c == "{" || c == "[") depth++
      else if (c == "}" || c == "]") { depth--; if (depth == 0) { pos++; return 1 } }
      pos++
    }
    return 0
  }
  if (pos > n) return 0
  while (pos <= n && index(",}] \t\r\n", substr(s, pos, 1)) == 0) pos++
  return 1
}

# finds member `key` of the object at pos; sets vstart and vend around its value
function member(key,   start, name, c) {
  ws()
  if (substr(s, pos, 1) != "{") return 0
  pos++
  while (1) {
    ws()
    if (substr(s, pos, 1) != "\"") return 0
    start = pos
    if (!skip_string()) return 0
    name = substr(s, start + 1, pos - start - 2)
    ws()
    if (substr(s, pos, 1) != ":") return 0
    pos++
    ws()
    vstart = pos
    if (!skip_value()) return 0
    vend = pos
    if (name == key) return 1
    ws()
    c = substr(s, pos, 1)
    if (c != ",") return 0
    pos++
  }
}

{ s = (NR == 1) ? $0 : s "\n" $0 }

END {
  n = length(s)
  count = split(path, parts, ".")
  for (i = 1; i <= count; i++) {
    pos = 1
    if (!member(parts[i])) exit 1
    s = substr(s, vstart, vend - vstart)
    n = length(s)
  }
  print s
}
