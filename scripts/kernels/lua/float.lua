-- Kernel float (see scripts/kernels/README.md): 5,000,000 float multiply-adds; prints the
-- result times 1000, truncated (positive, so floor is truncation).
local function main()
  local x = 0.0
  for i = 0, 4999999 do
    x = x * 0.9999995 + 1.0
  end
  return math.floor(x * 1000.0)
end

print(string.format("%d", main()))
