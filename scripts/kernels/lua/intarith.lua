-- Kernel intarith (see scripts/kernels/README.md): 10,000,000 iterations of integer adds and
-- multiplies; values stay below 2^53 so LuaJIT's doubles are exact.
local function main()
  local s = 0
  for i = 0, 9999999 do
    local t = i * 3 + 7
    s = s + t * 2 - i * 5
  end
  return s
end

print(string.format("%d", main()))
