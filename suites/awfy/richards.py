"""Are We Fast Yet: Richards, the Python twin of richards.ruff (same algorithm and size).

Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
Mössenböck, DLS 2016), after Martin Richards' benchmark via Mario Wolczko's Smalltalk
version. Python has inheritance, so the reference's class hierarchy is kept (RBObject,
TaskState < TaskControlBlock). Protocol: twin_protocol.py; suites/awfy/README.md.
"""

from twin_protocol import main, result

INNER_ITERATIONS = 1

IDLER = 0
WORKER = 1
HANDLER_A = 2
HANDLER_B = 3
DEVICE_A = 4
DEVICE_B = 5
NUM_TYPES = 6

DEVICE_PACKET_KIND = 0
WORK_PACKET_KIND = 1
DATA_SIZE = 4


class RBObject:
    def append(self, packet, queue_head):
        packet.link = None
        if queue_head is None:
            return packet
        mouse = queue_head
        link = mouse.link
        while link is not None:
            mouse = link
            link = mouse.link
        mouse.link = packet
        return queue_head


class Packet(RBObject):
    def __init__(self, link, identity, kind):
        self.link = link
        self.identity = identity
        self.kind = kind
        self.datum = 0
        self.data = [0] * DATA_SIZE


class DeviceTaskDataRecord(RBObject):
    def __init__(self):
        self.pending = None


class HandlerTaskDataRecord(RBObject):
    def __init__(self):
        self.work_in = None
        self.device_in = None

    def device_in_add(self, packet):
        self.device_in = self.append(packet, self.device_in)

    def work_in_add(self, packet):
        self.work_in = self.append(packet, self.work_in)


class IdleTaskDataRecord(RBObject):
    def __init__(self):
        self.control = 1
        self.count = 10000


class WorkerTaskDataRecord(RBObject):
    def __init__(self):
        self.destination = HANDLER_A
        self.count = 0


class TaskState(RBObject):
    def __init__(self):
        self.packet_pending = False
        self.task_waiting = False
        self.task_holding = False

    def mark_packet_pending(self):
        self.packet_pending = True
        self.task_waiting = False
        self.task_holding = False

    def mark_running(self):
        self.packet_pending = False
        self.task_waiting = False
        self.task_holding = False

    def mark_waiting(self):
        self.packet_pending = False
        self.task_holding = False
        self.task_waiting = True

    def mark_waiting_with_packet(self):
        self.task_holding = False
        self.task_waiting = True
        self.packet_pending = True

    def is_task_holding_or_waiting(self):
        return self.task_holding or (not self.packet_pending and self.task_waiting)

    def is_waiting_with_packet(self):
        return self.packet_pending and self.task_waiting and not self.task_holding

    @staticmethod
    def create_running():
        t = TaskState()
        t.mark_running()
        return t

    @staticmethod
    def create_waiting():
        t = TaskState()
        t.mark_waiting()
        return t

    @staticmethod
    def create_waiting_with_packet():
        t = TaskState()
        t.mark_waiting_with_packet()
        return t


class TaskControlBlock(TaskState):
    def __init__(self, link, identity, priority, initial_work_queue, initial_state,
                 private_data, fn):
        super().__init__()
        self.link = link
        self.identity = identity
        self.priority = priority
        self.input = initial_work_queue
        self.packet_pending = initial_state.packet_pending
        self.task_waiting = initial_state.task_waiting
        self.task_holding = initial_state.task_holding
        self.handle = private_data
        self.fn = fn

    def add_input_and_check_priority(self, packet, old_task):
        if self.input is None:
            self.input = packet
            self.packet_pending = True
            if self.priority > old_task.priority:
                return self
        else:
            self.input = self.append(packet, self.input)
        return old_task

    def run_task(self):
        message = None
        if self.is_waiting_with_packet():
            message = self.input
            self.input = message.link
            if self.input is None:
                self.mark_running()
            else:
                self.mark_packet_pending()
        return self.fn(message, self.handle)


class Scheduler(RBObject):
    def __init__(self):
        self.task_list = None
        self.current_task = None
        self.current_task_identity = 0
        self.task_table = [None] * NUM_TYPES
        self.queue_packet_count = 0
        self.hold_count = 0

    def create_device(self, identity, priority, work, state):
        def fn(packet, data):
            if packet is None:
                packet = data.pending
                if packet is None:
                    return self.mark_waiting()
                data.pending = None
                return self.queue_packet(packet)
            data.pending = packet
            return self.hold_self()

        self.create_task(identity, priority, work, state, DeviceTaskDataRecord(), fn)

    def create_handler(self, identity, priority, work, state):
        def fn(packet, data):
            if packet is not None:
                if packet.kind == WORK_PACKET_KIND:
                    data.work_in_add(packet)
                else:
                    data.device_in_add(packet)
            work_packet = data.work_in
            if work_packet is None:
                return self.mark_waiting()
            count = work_packet.datum
            if count >= DATA_SIZE:
                data.work_in = work_packet.link
                return self.queue_packet(work_packet)
            device_packet = data.device_in
            if device_packet is None:
                return self.mark_waiting()
            data.device_in = device_packet.link
            device_packet.datum = work_packet.data[count]
            work_packet.datum = count + 1
            return self.queue_packet(device_packet)

        self.create_task(identity, priority, work, state, HandlerTaskDataRecord(), fn)

    def create_idler(self, identity, priority, work, state):
        def fn(packet, data):
            data.count -= 1
            if data.count == 0:
                return self.hold_self()
            if (data.control & 1) == 0:
                data.control = data.control // 2
                return self.release(DEVICE_A)
            data.control = (data.control // 2) ^ 53256
            return self.release(DEVICE_B)

        self.create_task(identity, priority, work, state, IdleTaskDataRecord(), fn)

    def create_worker(self, identity, priority, work, state):
        def fn(packet, data):
            if packet is None:
                return self.mark_waiting()
            if data.destination == HANDLER_A:
                data.destination = HANDLER_B
            else:
                data.destination = HANDLER_A
            packet.identity = data.destination
            packet.datum = 0
            for i in range(DATA_SIZE):
                data.count += 1
                if data.count > 26:
                    data.count = 1
                packet.data[i] = 65 + data.count - 1
            return self.queue_packet(packet)

        self.create_task(identity, priority, work, state, WorkerTaskDataRecord(), fn)

    def create_task(self, identity, priority, work, state, data, fn):
        t = TaskControlBlock(self.task_list, identity, priority, work, state, data, fn)
        self.task_list = t
        self.task_table[identity] = t

    def start(self):
        self.create_idler(IDLER, 0, None, TaskState.create_running())
        work_q = Packet(None, WORKER, WORK_PACKET_KIND)
        work_q = Packet(work_q, WORKER, WORK_PACKET_KIND)
        self.create_worker(WORKER, 1000, work_q, TaskState.create_waiting_with_packet())

        work_q = Packet(None, DEVICE_A, DEVICE_PACKET_KIND)
        work_q = Packet(work_q, DEVICE_A, DEVICE_PACKET_KIND)
        work_q = Packet(work_q, DEVICE_A, DEVICE_PACKET_KIND)
        self.create_handler(HANDLER_A, 2000, work_q, TaskState.create_waiting_with_packet())

        work_q = Packet(None, DEVICE_B, DEVICE_PACKET_KIND)
        work_q = Packet(work_q, DEVICE_B, DEVICE_PACKET_KIND)
        work_q = Packet(work_q, DEVICE_B, DEVICE_PACKET_KIND)
        self.create_handler(HANDLER_B, 3000, work_q, TaskState.create_waiting_with_packet())

        self.create_device(DEVICE_A, 4000, None, TaskState.create_waiting())
        self.create_device(DEVICE_B, 5000, None, TaskState.create_waiting())

        self.schedule()
        return [self.queue_packet_count, self.hold_count]

    def find_task(self, identity):
        t = self.task_table[identity]
        if t is None:
            raise RuntimeError("find_task failed")
        return t

    def hold_self(self):
        self.hold_count += 1
        self.current_task.task_holding = True
        return self.current_task.link

    def queue_packet(self, packet):
        t = self.find_task(packet.identity)
        if t is None:
            return None
        self.queue_packet_count += 1
        packet.link = None
        packet.identity = self.current_task_identity
        return t.add_input_and_check_priority(packet, self.current_task)

    def release(self, identity):
        t = self.find_task(identity)
        if t is None:
            return None
        t.task_holding = False
        if t.priority > self.current_task.priority:
            return t
        return self.current_task

    def mark_waiting(self):
        self.current_task.task_waiting = True
        return self.current_task

    def schedule(self):
        self.current_task = self.task_list
        while self.current_task is not None:
            if self.current_task.is_task_holding_or_waiting():
                self.current_task = self.current_task.link
            else:
                self.current_task_identity = self.current_task.identity
                self.current_task = self.current_task.run_task()


def benchmark():
    return Scheduler().start()


def verify_result(value):
    return value[0] == 23246 and value[1] == 9297


def run():
    value = None
    for _ in range(INNER_ITERATIONS):
        value = benchmark()
        if not verify_result(value):
            result("failed verification, got", value[0], value[1])
            return
    result(value[0], value[1])


main(run)
