-- Are We Fast Yet: List, the Lua twin of list.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016). Protocol: twin_protocol.lua; suites/awfy/README.md.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')

local INNER_ITERATIONS = 45

local Element = {}
Element.__index = Element

function Element.new(v)
    return setmetatable({val = v, next = nil}, Element)
end

function Element:length()
    if not self.next then
        return 1
    end
    return 1 + self.next:length()
end

local function make_list(length)
    if length == 0 then
        return nil
    end
    local e = Element.new(length)
    e.next = make_list(length - 1)
    return e
end

local function is_shorter_than(x, y)
    local x_tail, y_tail = x, y
    while y_tail do
        if not x_tail then
            return true
        end
        x_tail = x_tail.next
        y_tail = y_tail.next
    end
    return false
end

local function tail(x, y, z)
    if is_shorter_than(y, x) then
        return tail(tail(x.next, y, z), tail(y.next, z, x), tail(z.next, x, y))
    end
    return z
end

local function benchmark()
    return tail(make_list(15), make_list(10), make_list(6)):length()
end

local function verify_result(result)
    return result == 10
end

twin.main(function ()
    twin.inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result)
end)
