-- Kernel array (see scripts/kernels/README.md): ten times, build a table of 1,000,000
-- integers by appending at the end, then sum it by index.
local function main()
  local total = 0
  for r = 0, 9 do
    local a = {}
    for i = 0, 999999 do
      a[i + 1] = i + r
    end
    local n = #a
    for i = 1, n do
      total = total + a[i]
    end
  end
  return total
end

print(string.format("%d", main()))
