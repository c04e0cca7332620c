-- Kernel string (see scripts/kernels/README.md): 100,000 string appends, printing the final
-- length. Lua strings are immutable and `s = s .. x` copies the whole string each time
-- (quadratic: 7-12 s here), so this uses Lua's amortised append idiom, a buffer table joined
-- once by table.concat; the other languages append in place (amortised) too.
local function main()
  local buf = {}
  for i = 0, 99999 do
    buf[#buf + 1] = tostring(i)
  end
  local s = table.concat(buf)
  return #s
end

print(string.format("%d", main()))
