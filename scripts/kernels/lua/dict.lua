-- Kernel dict (see scripts/kernels/README.md): 200,000 inserts with scattered integer keys
-- (they land in the hash part of the table), then 200,000 lookups of the same keys.
local function main()
  local d = {}
  for i = 0, 199999 do
    d[(i * 7919) % 1000003] = i
  end
  local s = 0
  for i = 0, 199999 do
    s = s + d[(i * 7919) % 1000003]
  end
  return s
end

print(string.format("%d", main()))
