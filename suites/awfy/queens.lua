-- Are We Fast Yet: Queens, the Lua twin of queens.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016). Protocol: twin_protocol.lua; suites/awfy/README.md.
-- Arrays are 1-based: row r and column c run over 1..8, diagonals over 1..16.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local INNER_ITERATIONS = 35

local function filled(n, value)
    local a = {}
    for i = 1, n do
        a[i] = value
    end
    return a
end

local Queens = {}
Queens.__index = Queens

function Queens.new()
    return setmetatable({}, Queens)
end

function Queens:queens()
    self.free_rows = filled(8, true)
    self.free_maxs = filled(16, true)
    self.free_mins = filled(16, true)
    self.queen_rows = filled(8, -1)
    return self:place_queen(1)
end

function Queens:place_queen(c)
    for r = 1, 8 do
        if self:get_row_column(r, c) then
            self.queen_rows[r] = c
            self:set_row_column(r, c, false)
            if c == 8 then
                return true
            end
            if self:place_queen(c + 1) then
                return true
            end
            self:set_row_column(r, c, true)
        end
    end
    return false
end

function Queens:get_row_column(r, c)
    return self.free_rows[r] and self.free_maxs[c + r] and self.free_mins[c - r + 8]
end

function Queens:set_row_column(r, c, v)
    self.free_rows[r] = v
    self.free_maxs[c + r] = v
    self.free_mins[c - r + 8] = v
end

local function benchmark()
    local q = Queens.new()
    local result = true
    for _ = 1, 10 do
        result = result and q:queens()
    end
    return result
end

local function verify_result(result)
    return result
end

twin.main(function ()
    twin.inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result)
end)
