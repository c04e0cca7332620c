-- Are We Fast Yet: Richards, the Lua twin of richards.ruff (same algorithm and size).
-- Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
-- Mössenböck, DLS 2016), after Martin Richards' benchmark via Mario Wolczko's Smalltalk
-- version. Classes are metatables; TaskControlBlock inherits TaskState's methods through
-- __index, and every record inherits RBObject.append. Task ids index task_table from 1.
-- Protocol: twin_protocol.lua; suites/awfy/README.md.

package.path = (arg[0]:match('^(.*[/\\])') or './') .. '?.lua;' .. package.path
local twin = require('twin_protocol')
local class = require('awfy_som').class
local bxor = twin.bxor
local floor = math.floor

local INNER_ITERATIONS = 1

local IDLER = 1
local WORKER = 2
local HANDLER_A = 3
local HANDLER_B = 4
local DEVICE_A = 5
local DEVICE_B = 6

local DEVICE_PACKET_KIND = 0
local WORK_PACKET_KIND = 1
local DATA_SIZE = 4

local RBObject = class()

function RBObject:append(packet, queue_head)
    packet.link = nil
    if queue_head == nil then
        return packet
    end
    local mouse = queue_head
    local link = mouse.link
    while link ~= nil do
        mouse = link
        link = mouse.link
    end
    mouse.link = packet
    return queue_head
end

local Packet = class(RBObject)

function Packet.new(link, identity, kind)
    return setmetatable({link = link, identity = identity, kind = kind, datum = 1,
        data = {0, 0, 0, 0}}, Packet)
end

local DeviceTaskDataRecord = class(RBObject)

function DeviceTaskDataRecord.new()
    return setmetatable({pending = nil}, DeviceTaskDataRecord)
end

local HandlerTaskDataRecord = class(RBObject)

function HandlerTaskDataRecord.new()
    return setmetatable({work_in = nil, device_in = nil}, HandlerTaskDataRecord)
end

function HandlerTaskDataRecord:device_in_add(packet)
    self.device_in = self:append(packet, self.device_in)
end

function HandlerTaskDataRecord:work_in_add(packet)
    self.work_in = self:append(packet, self.work_in)
end

local IdleTaskDataRecord = class(RBObject)

function IdleTaskDataRecord.new()
    return setmetatable({control = 1, count = 10000}, IdleTaskDataRecord)
end

local WorkerTaskDataRecord = class(RBObject)

function WorkerTaskDataRecord.new()
    return setmetatable({destination = HANDLER_A, count = 0}, WorkerTaskDataRecord)
end

local TaskState = class(RBObject)

function TaskState.new()
    return setmetatable({packet_pending = false, task_waiting = false, task_holding = false},
        TaskState)
end

function TaskState:mark_packet_pending()
    self.packet_pending = true
    self.task_waiting = false
    self.task_holding = false
end

function TaskState:mark_running()
    self.packet_pending = false
    self.task_waiting = false
    self.task_holding = false
end

function TaskState:mark_waiting()
    self.packet_pending = false
    self.task_holding = false
    self.task_waiting = true
end

function TaskState:mark_waiting_with_packet()
    self.task_holding = false
    self.task_waiting = true
    self.packet_pending = true
end

function TaskState:is_task_holding_or_waiting()
    return self.task_holding or (not self.packet_pending and self.task_waiting)
end

function TaskState:is_waiting_with_packet()
    return self.packet_pending and self.task_waiting and not self.task_holding
end

local function create_running()
    local t = TaskState.new()
    t:mark_running()
    return t
end

local function create_waiting()
    local t = TaskState.new()
    t:mark_waiting()
    return t
end

local function create_waiting_with_packet()
    local t = TaskState.new()
    t:mark_waiting_with_packet()
    return t
end

local TaskControlBlock = class(TaskState)

function TaskControlBlock.new(link, identity, priority, initial_work_queue, initial_state,
                              private_data, fn)
    return setmetatable({
        link = link, identity = identity, priority = priority, input = initial_work_queue,
        packet_pending = initial_state.packet_pending,
        task_waiting = initial_state.task_waiting,
        task_holding = initial_state.task_holding,
        handle = private_data, fn = fn,
    }, TaskControlBlock)
end

function TaskControlBlock:add_input_and_check_priority(packet, old_task)
    if self.input == nil then
        self.input = packet
        self.packet_pending = true
        if self.priority > old_task.priority then
            return self
        end
    else
        self.input = self:append(packet, self.input)
    end
    return old_task
end

function TaskControlBlock:run_task()
    local message = nil
    if self:is_waiting_with_packet() then
        message = self.input
        self.input = message.link
        if self.input == nil then
            self:mark_running()
        else
            self:mark_packet_pending()
        end
    end
    return self.fn(message, self.handle)
end

local Scheduler = class(RBObject)

function Scheduler.new()
    return setmetatable({task_list = nil, current_task = nil, current_task_identity = 0,
        task_table = {}, queue_packet_count = 0, hold_count = 0}, Scheduler)
end

function Scheduler:create_device(identity, priority, work, state)
    self:create_task(identity, priority, work, state, DeviceTaskDataRecord.new(),
        function (packet, data)
            if packet == nil then
                packet = data.pending
                if packet == nil then
                    return self:mark_waiting()
                end
                data.pending = nil
                return self:queue_packet(packet)
            end
            data.pending = packet
            return self:hold_self()
        end)
end

function Scheduler:create_handler(identity, priority, work, state)
    self:create_task(identity, priority, work, state, HandlerTaskDataRecord.new(),
        function (packet, data)
            if packet ~= nil then
                if packet.kind == WORK_PACKET_KIND then
                    data:work_in_add(packet)
                else
                    data:device_in_add(packet)
                end
            end
            local work_packet = data.work_in
            if work_packet == nil then
                return self:mark_waiting()
            end
            local count = work_packet.datum
            if count > DATA_SIZE then
                data.work_in = work_packet.link
                return self:queue_packet(work_packet)
            end
            local device_packet = data.device_in
            if device_packet == nil then
                return self:mark_waiting()
            end
            data.device_in = device_packet.link
            device_packet.datum = work_packet.data[count]
            work_packet.datum = count + 1
            return self:queue_packet(device_packet)
        end)
end

function Scheduler:create_idler(identity, priority, work, state)
    self:create_task(identity, priority, work, state, IdleTaskDataRecord.new(),
        function (_, data)
            data.count = data.count - 1
            if data.count == 0 then
                return self:hold_self()
            end
            if data.control % 2 == 0 then
                data.control = floor(data.control / 2)
                return self:release(DEVICE_A)
            end
            data.control = bxor(floor(data.control / 2), 53256)
            return self:release(DEVICE_B)
        end)
end

function Scheduler:create_worker(identity, priority, work, state)
    self:create_task(identity, priority, work, state, WorkerTaskDataRecord.new(),
        function (packet, data)
            if packet == nil then
                return self:mark_waiting()
            end
            if data.destination == HANDLER_A then
                data.destination = HANDLER_B
            else
                data.destination = HANDLER_A
            end
            packet.identity = data.destination
            packet.datum = 1
            for i = 1, DATA_SIZE do
                data.count = data.count + 1
                if data.count > 26 then
                    data.count = 1
                end
                packet.data[i] = 65 + data.count - 1
            end
            return self:queue_packet(packet)
        end)
end

function Scheduler:create_task(identity, priority, work, state, data, fn)
    local t = TaskControlBlock.new(self.task_list, identity, priority, work, state, data, fn)
    self.task_list = t
    self.task_table[identity] = t
end

function Scheduler:start()
    self:create_idler(IDLER, 0, nil, create_running())
    local work_q = Packet.new(nil, WORKER, WORK_PACKET_KIND)
    work_q = Packet.new(work_q, WORKER, WORK_PACKET_KIND)
    self:create_worker(WORKER, 1000, work_q, create_waiting_with_packet())

    work_q = Packet.new(nil, DEVICE_A, DEVICE_PACKET_KIND)
    work_q = Packet.new(work_q, DEVICE_A, DEVICE_PACKET_KIND)
    work_q = Packet.new(work_q, DEVICE_A, DEVICE_PACKET_KIND)
    self:create_handler(HANDLER_A, 2000, work_q, create_waiting_with_packet())

    work_q = Packet.new(nil, DEVICE_B, DEVICE_PACKET_KIND)
    work_q = Packet.new(work_q, DEVICE_B, DEVICE_PACKET_KIND)
    work_q = Packet.new(work_q, DEVICE_B, DEVICE_PACKET_KIND)
    self:create_handler(HANDLER_B, 3000, work_q, create_waiting_with_packet())

    self:create_device(DEVICE_A, 4000, nil, create_waiting())
    self:create_device(DEVICE_B, 5000, nil, create_waiting())

    self:schedule()
    return self.queue_packet_count, self.hold_count
end

function Scheduler:find_task(identity)
    local t = self.task_table[identity]
    if t == nil then
        error('find_task failed')
    end
    return t
end

function Scheduler:hold_self()
    self.hold_count = self.hold_count + 1
    self.current_task.task_holding = true
    return self.current_task.link
end

function Scheduler:queue_packet(packet)
    local t = self:find_task(packet.identity)
    if t == nil then
        return nil
    end
    self.queue_packet_count = self.queue_packet_count + 1
    packet.link = nil
    packet.identity = self.current_task_identity
    return t:add_input_and_check_priority(packet, self.current_task)
end

function Scheduler:release(identity)
    local t = self:find_task(identity)
    if t == nil then
        return nil
    end
    t.task_holding = false
    if t.priority > self.current_task.priority then
        return t
    end
    return self.current_task
end

function Scheduler:mark_waiting()
    self.current_task.task_waiting = true
    return self.current_task
end

function Scheduler:schedule()
    self.current_task = self.task_list
    while self.current_task ~= nil do
        if self.current_task:is_task_holding_or_waiting() then
            self.current_task = self.current_task.link
        else
            self.current_task_identity = self.current_task.identity
            self.current_task = self.current_task:run_task()
        end
    end
end

local function verify_result(queued, holds)
    return queued == 23246 and holds == 9297
end

local function run()
    local queued, holds
    for _ = 1, INNER_ITERATIONS do
        queued, holds = Scheduler.new():start()
        if not verify_result(queued, holds) then
            twin.result('failed verification, got', queued, holds)
            return
        end
    end
    twin.result(queued, holds)
end

twin.main(run)
