-- Are We Fast Yet: Mandelbrot, the Lua twin of mandelbrot.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016), after the Computer Language Benchmarks Game. Protocol:
-- twin_protocol.lua; suites/awfy/README.md (also for the derived verification value).

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')
local bxor, lshift = twin.bxor, twin.lshift

local INNER_ITERATIONS = 170

local function mandelbrot(size)
    local sum = 0
    local byte_acc = 0
    local bit_num = 0
    local y = 0
    while y < size do
        local ci = (2.0 * y / size) - 1.0
        local x = 0
        while x < size do
            local zr, zrzr, zi, zizi = 0.0, 0.0, 0.0, 0.0
            local cr = (2.0 * x / size) - 1.5
            local z = 0
            local not_done = true
            local escape = 0
            while not_done and z < 50 do
                zr = zrzr - zizi + cr
                zi = 2.0 * zr * zi + ci
                -- preserve recalculation
                zrzr = zr * zr
                zizi = zi * zi
                if zrzr + zizi > 4.0 then
                    not_done = false
                    escape = 1
                end
                z = z + 1
            end
            byte_acc = lshift(byte_acc, 1) + escape
            bit_num = bit_num + 1
            if bit_num == 8 then
                sum = bxor(sum, byte_acc)
                byte_acc = 0
                bit_num = 0
            elseif x == size - 1 then
                byte_acc = lshift(byte_acc, 8 - bit_num)
                sum = bxor(sum, byte_acc)
                byte_acc = 0
                bit_num = 0
            end
            x = x + 1
        end
        y = y + 1
    end
    return sum
end

local function verify_result(result, inner_iterations)
    if inner_iterations == 500 then
        return result == 191
    elseif inner_iterations == 750 then
        return result == 50
    elseif inner_iterations == 1 then
        return result == 128
    elseif inner_iterations == 170 then
        -- Not published by the suite: derived (suites/awfy/README.md).
        return result == 252
    end
    return false
end

local function run()
    local result = mandelbrot(INNER_ITERATIONS)
    if not verify_result(result, INNER_ITERATIONS) then
        twin.result('failed verification, got', result)
        return
    end
    twin.result(result)
end

twin.main(run)
