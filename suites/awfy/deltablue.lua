-- Are We Fast Yet: DeltaBlue, the Lua twin of deltablue.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016), after Mario Wolczko's DeltaBlue. Classes are metatables and keep
-- the reference's constraint hierarchy (AbstractConstraint < UnaryConstraint <
-- EditConstraint, StayConstraint; AbstractConstraint < BinaryConstraint <
-- EqualityConstraint, ScaleConstraint). The tests check themselves (raising an error on
-- failure); run() reports `ok`. Protocol: twin_protocol.lua; suites/awfy/README.md.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')
local class = require('awfy_som').class
local som = require('awfy_som')
local Vector, IdentityDictionary = som.Vector, som.IdentityDictionary
local floor = math.floor

local INNER_ITERATIONS = 800

local FORWARD = 1
local BACKWARD = 2

-- ---- strengths ------------------------------------------------------------------------

local Sym = class()

function Sym.new(hash)
    return setmetatable({hash = hash}, Sym)
end

function Sym:custom_hash()
    return self.hash
end

local ABSOLUTE_STRONGEST = Sym.new(0)
local REQUIRED = Sym.new(1)
local STRONG_PREFERRED = Sym.new(2)
local PREFERRED = Sym.new(3)
local STRONG_DEFAULT = Sym.new(4)
local DEFAULT = Sym.new(5)
local WEAK_DEFAULT = Sym.new(6)
local ABSOLUTE_WEAKEST = Sym.new(7)

local Strength = class()

function Strength.new(symbolic_value, arithmetic_value)
    return setmetatable({symbolic_value = symbolic_value, arithmetic_value = arithmetic_value},
        Strength)
end

function Strength:same_as(s)
    return self.arithmetic_value == s.arithmetic_value
end

function Strength:stronger(s)
    return self.arithmetic_value < s.arithmetic_value
end

function Strength:weaker(s)
    return self.arithmetic_value > s.arithmetic_value
end

function Strength:strongest(s)
    if s:stronger(self) then
        return s
    end
    return self
end

function Strength:weakest(s)
    if s:weaker(self) then
        return s
    end
    return self
end

local STRENGTH_TABLE = IdentityDictionary.new()
STRENGTH_TABLE:at_put(ABSOLUTE_STRONGEST, -10000)
STRENGTH_TABLE:at_put(REQUIRED, -800)
STRENGTH_TABLE:at_put(STRONG_PREFERRED, -600)
STRENGTH_TABLE:at_put(PREFERRED, -400)
STRENGTH_TABLE:at_put(STRONG_DEFAULT, -200)
STRENGTH_TABLE:at_put(DEFAULT, 0)
STRENGTH_TABLE:at_put(WEAK_DEFAULT, 500)
STRENGTH_TABLE:at_put(ABSOLUTE_WEAKEST, 10000)

local STRENGTH_CONSTANTS = IdentityDictionary.new()
STRENGTH_TABLE:keys():for_each(function (sym)
    STRENGTH_CONSTANTS:at_put(sym, Strength.new(sym, STRENGTH_TABLE:at(sym)))
end)

local function strength_of(sym)
    return STRENGTH_CONSTANTS:at(sym)
end

local STRENGTH_ABSOLUTE_WEAKEST = strength_of(ABSOLUTE_WEAKEST)
local STRENGTH_REQUIRED = strength_of(REQUIRED)

-- ---- constraints ----------------------------------------------------------------------

local AbstractConstraint = class()

function AbstractConstraint:is_input()
    return false
end

function AbstractConstraint:add_constraint(planner)
    self:add_to_graph()
    planner:incremental_add(self)
end

function AbstractConstraint:destroy_constraint(planner)
    if self:is_satisfied() then
        planner:incremental_remove(self)
    end
    self:remove_from_graph()
end

function AbstractConstraint:inputs_known(mark)
    return not self:inputs_has_one(function (v)
        return not (v.mark == mark or v.stay or v.determined_by == nil)
    end)
end

function AbstractConstraint:satisfy(mark, planner)
    self:choose_method(mark)
    if self:is_satisfied() then
        -- mark inputs to allow cycle detection in add_propagate
        self:inputs_do(function (v)
            v.mark = mark
        end)
        local out = self:get_output()
        local overridden = out.determined_by
        if overridden ~= nil then
            overridden:mark_unsatisfied()
        end
        out.determined_by = self
        if not planner:add_propagate(self, mark) then
            error('Cycle encountered')
        end
        out.mark = mark
        return overridden
    end
    if self.strength:same_as(STRENGTH_REQUIRED) then
        error('Could not satisfy a required constraint')
    end
    return nil
end

local UnaryConstraint = class(AbstractConstraint)

function UnaryConstraint.init(c, v, strength, planner)
    c.strength = strength_of(strength)
    c.output = v
    c.satisfied = false
    c:add_constraint(planner)
    return c
end

function UnaryConstraint:is_satisfied()
    return self.satisfied
end

function UnaryConstraint:add_to_graph()
    self.output:add_constraint(self)
    self.satisfied = false
end

function UnaryConstraint:remove_from_graph()
    if self.output ~= nil then
        self.output:remove_constraint(self)
    end
    self.satisfied = false
end

function UnaryConstraint:choose_method(mark)
    self.satisfied = self.output.mark ~= mark and
        self.strength:stronger(self.output.walk_strength)
    return nil
end

function UnaryConstraint:inputs_do(fn)
end

function UnaryConstraint:inputs_has_one(fn)
    return false
end

function UnaryConstraint:mark_unsatisfied()
    self.satisfied = false
end

function UnaryConstraint:get_output()
    return self.output
end

function UnaryConstraint:recalculate()
    self.output.walk_strength = self.strength
    self.output.stay = not self:is_input()
    if self.output.stay then
        self:execute()
    end
end

local EditConstraint = class(UnaryConstraint)

function EditConstraint.new(v, strength, planner)
    return UnaryConstraint.init(setmetatable({}, EditConstraint), v, strength, planner)
end

function EditConstraint:is_input()
    return true
end

function EditConstraint:execute()
end

local StayConstraint = class(UnaryConstraint)

function StayConstraint.new(v, strength, planner)
    return UnaryConstraint.init(setmetatable({}, StayConstraint), v, strength, planner)
end

function StayConstraint:execute()
end

local BinaryConstraint = class(AbstractConstraint)

function BinaryConstraint.init(c, var1, var2, strength)
    c.strength = strength_of(strength)
    c.v1 = var1
    c.v2 = var2
    c.direction = nil
    return c
end

function BinaryConstraint:is_satisfied()
    return self.direction ~= nil
end

function BinaryConstraint:add_to_graph()
    self.v1:add_constraint(self)
    self.v2:add_constraint(self)
    self.direction = nil
end

function BinaryConstraint:remove_from_graph()
    if self.v1 ~= nil then
        self.v1:remove_constraint(self)
    end
    if self.v2 ~= nil then
        self.v2:remove_constraint(self)
    end
    self.direction = nil
end

function BinaryConstraint:choose_method(mark)
    if self.v1.mark == mark then
        if self.v2.mark ~= mark and self.strength:stronger(self.v2.walk_strength) then
            self.direction = FORWARD
        else
            self.direction = nil
        end
        return self.direction
    end
    if self.v2.mark == mark then
        if self.v1.mark ~= mark and self.strength:stronger(self.v1.walk_strength) then
            self.direction = BACKWARD
        else
            self.direction = nil
        end
        return self.direction
    end
    -- Neither variable is marked, so we have a choice.
    if self.v1.walk_strength:weaker(self.v2.walk_strength) then
        if self.strength:stronger(self.v1.walk_strength) then
            self.direction = BACKWARD
        else
            self.direction = nil
        end
    else
        if self.strength:stronger(self.v2.walk_strength) then
            self.direction = FORWARD
        else
            self.direction = nil
        end
    end
    return self.direction
end

function BinaryConstraint:inputs_do(fn)
    if self.direction == FORWARD then
        fn(self.v1)
    else
        fn(self.v2)
    end
end

function BinaryConstraint:inputs_has_one(fn)
    if self.direction == FORWARD then
        return fn(self.v1)
    end
    return fn(self.v2)
end

function BinaryConstraint:mark_unsatisfied()
    self.direction = nil
end

function BinaryConstraint:get_output()
    if self.direction == FORWARD then
        return self.v2
    end
    return self.v1
end

function BinaryConstraint:recalculate()
    local input, out = self.v2, self.v1
    if self.direction == FORWARD then
        input, out = self.v1, self.v2
    end
    out.walk_strength = self.strength:weakest(input.walk_strength)
    out.stay = input.stay
    if out.stay then
        self:execute()
    end
end

local EqualityConstraint = class(BinaryConstraint)

function EqualityConstraint.new(var1, var2, strength, planner)
    local c = BinaryConstraint.init(setmetatable({}, EqualityConstraint), var1, var2, strength)
    c:add_constraint(planner)
    return c
end

function EqualityConstraint:execute()
    if self.direction == FORWARD then
        self.v2.value = self.v1.value
    else
        self.v1.value = self.v2.value
    end
end

local ScaleConstraint = class(BinaryConstraint)

function ScaleConstraint.new(src, scale, offset, dest, strength, planner)
    local c = BinaryConstraint.init(setmetatable({}, ScaleConstraint), src, dest, strength)
    c.scale = scale
    c.offset = offset
    c:add_constraint(planner)
    return c
end

function ScaleConstraint:add_to_graph()
    self.v1:add_constraint(self)
    self.v2:add_constraint(self)
    self.scale:add_constraint(self)
    self.offset:add_constraint(self)
    self.direction = nil
end

function ScaleConstraint:remove_from_graph()
    if self.v1 ~= nil then
        self.v1:remove_constraint(self)
    end
    if self.v2 ~= nil then
        self.v2:remove_constraint(self)
    end
    if self.scale ~= nil then
        self.scale:remove_constraint(self)
    end
    if self.offset ~= nil then
        self.offset:remove_constraint(self)
    end
    self.direction = nil
end

function ScaleConstraint:execute()
    if self.direction == FORWARD then
        self.v2.value = self.v1.value * self.scale.value + self.offset.value
    else
        -- The values here are non-negative, where floor equals Java's int division.
        self.v1.value = floor((self.v2.value - self.offset.value) / self.scale.value)
    end
end

function ScaleConstraint:inputs_do(fn)
    if self.direction == FORWARD then
        fn(self.v1)
    else
        fn(self.v2)
    end
    fn(self.scale)
    fn(self.offset)
end

function ScaleConstraint:recalculate()
    local input, out = self.v2, self.v1
    if self.direction == FORWARD then
        input, out = self.v1, self.v2
    end
    out.walk_strength = self.strength:weakest(input.walk_strength)
    out.stay = input.stay and self.scale.stay and self.offset.stay
    if out.stay then
        self:execute()
    end
end

-- ---- variables, plans and the planner ------------------------------------------------

local Variable = class()

function Variable.new(value)
    return setmetatable({value = value or 0, constraints = Vector.new(2), determined_by = nil,
        mark = 0, walk_strength = STRENGTH_ABSOLUTE_WEAKEST, stay = true}, Variable)
end

function Variable:add_constraint(c)
    self.constraints:append(c)
end

function Variable:remove_constraint(c)
    self.constraints:remove(c)
    if self.determined_by == c then
        self.determined_by = nil
    end
end

local Plan = class(Vector)

function Plan.new()
    return setmetatable(Vector.new(15), Plan)
end

function Plan:execute()
    self:for_each(function (c)
        c:execute()
    end)
end

local Planner = class()

function Planner.new()
    return setmetatable({current_mark = 1}, Planner)
end

function Planner:incremental_add(c)
    local mark = self:new_mark()
    local overridden = c:satisfy(mark, self)
    while overridden ~= nil do
        overridden = overridden:satisfy(mark, self)
    end
end

function Planner:incremental_remove(c)
    local out = c:get_output()
    c:mark_unsatisfied()
    c:remove_from_graph()
    local unsatisfied = self:remove_propagate_from(out)
    unsatisfied:for_each(function (u)
        self:incremental_add(u)
    end)
end

function Planner:extract_plan_from_constraints(constraints)
    local sources = Vector.new()
    constraints:for_each(function (c)
        if c:is_input() and c:is_satisfied() then
            sources:append(c)
        end
    end)
    return self:make_plan(sources)
end

function Planner:make_plan(sources)
    local mark = self:new_mark()
    local plan = Plan.new()
    local todo = sources
    while not todo:is_empty() do
        local c = todo:remove_first()
        if c:get_output().mark ~= mark and c:inputs_known(mark) then
            -- not in plan already and eligible for inclusion
            plan:append(c)
            c:get_output().mark = mark
            self:add_constraints_consuming_to(c:get_output(), todo)
        end
    end
    return plan
end

function Planner:add_constraints_consuming_to(v, coll)
    local determining_c = v.determined_by
    v.constraints:for_each(function (c)
        if c ~= determining_c and c:is_satisfied() then
            coll:append(c)
        end
    end)
end

function Planner:add_propagate(c, mark)
    local todo = Vector.with(c)
    while not todo:is_empty() do
        local d = todo:remove_first()
        if d:get_output().mark == mark then
            self:incremental_remove(c)
            return false
        end
        d:recalculate()
        self:add_constraints_consuming_to(d:get_output(), todo)
    end
    return true
end

function Planner:change(v, new_value)
    local edit = EditConstraint.new(v, PREFERRED, self)
    local plan = self:extract_plan_from_constraints(Vector.with(edit))
    for _ = 1, 10 do
        v.value = new_value
        plan:execute()
    end
    edit:destroy_constraint(self)
end

function Planner:constraints_consuming(v, fn)
    local determining_c = v.determined_by
    v.constraints:for_each(function (c)
        if c ~= determining_c and c:is_satisfied() then
            fn(c)
        end
    end)
end

function Planner:new_mark()
    self.current_mark = self.current_mark + 1
    return self.current_mark
end

function Planner:remove_propagate_from(out)
    local unsatisfied = Vector.new()
    out.determined_by = nil
    out.walk_strength = STRENGTH_ABSOLUTE_WEAKEST
    out.stay = true
    local todo = Vector.with(out)
    while not todo:is_empty() do
        local v = todo:remove_first()
        v.constraints:for_each(function (c)
            if not c:is_satisfied() then
                unsatisfied:append(c)
            end
        end)
        self:constraints_consuming(v, function (c)
            c:recalculate()
            todo:append(c:get_output())
        end)
    end
    unsatisfied:sort(function (c1, c2)
        if c1.strength:stronger(c2.strength) then
            return -1
        end
        return 1
    end)
    return unsatisfied
end

-- ---- the two tests --------------------------------------------------------------------

local function chain_test(n)
    local planner = Planner.new()
    local vars = {}
    for i = 1, n + 1 do
        vars[i] = Variable.new()
    end
    for i = 1, n do
        EqualityConstraint.new(vars[i], vars[i + 1], REQUIRED, planner)
    end
    StayConstraint.new(vars[n + 1], STRONG_DEFAULT, planner)
    local edit = EditConstraint.new(vars[1], PREFERRED, planner)
    local plan = planner:extract_plan_from_constraints(Vector.with(edit))
    for i = 0, 99 do
        vars[1].value = i
        plan:execute()
        if vars[n + 1].value ~= i then
            error('Chain test failed!')
        end
    end
    edit:destroy_constraint(planner)
end

local function projection_test(n)
    local planner = Planner.new()
    local dests = Vector.new()
    local scale = Variable.new(10)
    local offset = Variable.new(1000)
    local src, dst
    for i = 0, n - 1 do
        src = Variable.new(i)
        dst = Variable.new(i)
        dests:append(dst)
        StayConstraint.new(src, DEFAULT, planner)
        ScaleConstraint.new(src, scale, offset, dst, REQUIRED, planner)
    end
    planner:change(src, 17)
    if dst.value ~= 1170 then
        error('Projection test 1 failed!')
    end
    planner:change(dst, 1050)
    if src.value ~= 5 then
        error('Projection test 2 failed!')
    end
    planner:change(scale, 5)
    for i = 0, n - 2 do
        if dests:at(i + 1).value ~= i * 5 + 1000 then
            error('Projection test 3 failed!')
        end
    end
    planner:change(offset, 2000)
    for i = 0, n - 2 do
        if dests:at(i + 1).value ~= i * 5 + 2000 then
            error('Projection test 4 failed!')
        end
    end
end

local function run()
    chain_test(INNER_ITERATIONS)
    projection_test(INNER_ITERATIONS)
    twin.result('ok')
end

twin.main(run)
