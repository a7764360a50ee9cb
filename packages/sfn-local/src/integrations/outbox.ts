import type { JsonValue } from '@saga/asl';
import { nodeCrypto } from '../node-crypto.js';

/**
 * Local SQS queues, SNS topics and EventBridge buses that the `sqs:sendMessage`, `sns:publish`
 * and `events:putEvents` integrations deliver to, and that tests and tools (a review console)
 * read. Every delivery is reported as an {@link OutboxRecord} so a journal can persist it, and
 * `restore()` loads records back after a restart. Records are plain JSON.
 */

/** Which task sent a message. */
export interface MessageOrigin {
  executionArn: string;
  stateMachineArn: string;
  stateName: string;
}

export interface SqsMessage {
  MessageId: string;
  Body: string;
  MD5OfBody: string;
  MessageAttributes?: { [name: string]: JsonValue };
  MD5OfMessageAttributes?: string;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  DelaySeconds?: number;
  /** Epoch ms on the sending execution's clock. */
  SentTimestamp: number;
  Origin?: MessageOrigin;
}

/** A message handed out by `receive()`. */
export interface ReceivedSqsMessage extends SqsMessage {
  ReceiptHandle: string;
  ApproximateReceiveCount: number;
  /** Epoch ms (the outboxes' clock) of the message's first receive. */
  ApproximateFirstReceiveTimestamp: number;
}

/** Why `changeVisibility()` did nothing: an unknown or stale receipt handle, or a message not in flight. */
export type VisibilityChange = 'changed' | 'invalid-handle' | 'not-in-flight';

export interface SnsMessage {
  MessageId: string;
  /** The topic ARN, target ARN or phone number published to. */
  Target: string;
  TopicArn?: string;
  TargetArn?: string;
  PhoneNumber?: string;
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: { [name: string]: JsonValue };
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  /** Epoch ms on the publishing execution's clock. */
  Timestamp: number;
  Origin?: MessageOrigin;
}

export interface EventBridgeEvent {
  EventId: string;
  EventBusName: string;
  Source: string;
  DetailType: string;
  /** The event detail as the JSON string EventBridge carries. */
  Detail: string;
  /** The entry's Resources with the execution ARN and state machine ARN appended. */
  Resources: string[];
  /** ISO-8601, the entry's `Time` or the execution's clock. */
  Time: string;
  TraceHeader?: string;
  Origin?: MessageOrigin;
}

/**
 * One delivery, as the journal persists it. `sqs-delete` records a message deleted through
 * `queue.delete()`, so that a restart does not hand it out again.
 */
export type OutboxRecord =
  | { kind: 'sqs'; target: string; record: SqsMessage }
  | { kind: 'sqs-delete'; target: string; record: { MessageId: string } }
  | { kind: 'sns'; target: string; record: SnsMessage }
  | { kind: 'events'; target: string; record: EventBridgeEvent };

export type OutboxListener = (record: OutboxRecord) => void;

export interface OutboxesOptions {
  /**
   * Whether sending to a queue/topic/bus nobody declared creates it (default true). When false,
   * declare them first with `queue()`/`topic()`/`bus()`; sends to others fail as AWS does
   * (`SQS.QueueDoesNotExistException`, `SNS.NotFoundException`, a failed EventBridge entry).
   */
  autoCreate?: boolean;
  /** Clock for receive visibility timeouts (default `Date.now`: consoles poll in real time). */
  now?: () => number;
  /** Id generator for MessageId/EventId/ReceiptHandle (default `crypto.randomUUID`). */
  newId?: () => string;
}

interface Host {
  now(): number;
  newId(): string;
  emit(record: OutboxRecord): void;
}

interface Delivery {
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
  deleted: boolean;
}

const clone = <T>(value: T): T => structuredClone(value);

/** A local SQS queue: every message ever sent, plus simple receive/delete semantics. */
export class LocalQueue {
  private readonly sent: SqsMessage[] = [];
  private readonly deliveries = new Map<string, Delivery>();
  private readonly receipts = new Map<string, string>();

  /** @internal */
  constructor(
    readonly url: string,
    private readonly host: Host,
  ) {}

  /** Whether this is a FIFO queue (URL ending in `.fifo`). */
  get fifo(): boolean {
    return this.url.endsWith('.fifo');
  }

  /** Every message sent, in order, deleted ones included. */
  messages(): SqsMessage[] {
    return this.sent.map(clone);
  }

  /** Messages not deleted (in flight or not). */
  pending(): SqsMessage[] {
    return this.sent.filter((m) => !this.deliveries.get(m.MessageId)?.deleted).map(clone);
  }

  /**
   * Hands out up to `max` (1..10, default 1) visible messages, oldest first, and hides them for
   * `visibilityTimeoutMs` (default 30 s); each gets a new receipt handle. In a FIFO queue a
   * message group with a message in flight hands out nothing more until it is deleted or visible.
   */
  receive(options: { max?: number; visibilityTimeoutMs?: number } = {}): ReceivedSqsMessage[] {
    const max = Math.min(10, Math.max(1, Math.floor(options.max ?? 1)));
    const visibility = Math.max(0, options.visibilityTimeoutMs ?? 30_000);
    const now = this.host.now();
    const blockedGroups = new Set<string>();
    const out: ReceivedSqsMessage[] = [];
    for (const message of this.sent) {
      if (out.length >= max) break;
      const d = this.deliveries.get(message.MessageId)!;
      if (d.deleted) continue;
      const group = this.fifo ? (message.MessageGroupId ?? '') : undefined;
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (d.visibleAt > now) {
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (d.receiptHandle) this.receipts.delete(d.receiptHandle);
      d.receiptHandle = this.host.newId();
      d.receiveCount += 1;
      d.firstReceivedAt ??= now;
      d.visibleAt = now + visibility;
      this.receipts.set(d.receiptHandle, message.MessageId);
      if (group !== undefined) blockedGroups.add(group);
      out.push({
        ...clone(message),
        ReceiptHandle: d.receiptHandle,
        ApproximateReceiveCount: d.receiveCount,
        ApproximateFirstReceiveTimestamp: d.firstReceivedAt,
      });
    }
    return out;
  }

  /** Makes a received message visible again (`ChangeMessageVisibility` to 0). */
  release(receiptHandle: string): boolean {
    const id = this.receipts.get(receiptHandle);
    const d = id === undefined ? undefined : this.deliveries.get(id);
    if (!d || d.deleted) return false;
    d.visibleAt = 0;
    return true;
  }

  /**
   * `ChangeMessageVisibility`: the received message becomes visible `timeoutMs` from now (0: at
   * once). Only a message in flight (received and not visible again yet) can be changed.
   */
  changeVisibility(receiptHandle: string, timeoutMs: number): VisibilityChange {
    const id = this.receipts.get(receiptHandle);
    const d = id === undefined ? undefined : this.deliveries.get(id);
    if (!d || d.deleted) return 'invalid-handle';
    const now = this.host.now();
    if (d.visibleAt <= now) return 'not-in-flight';
    d.visibleAt = now + Math.max(0, timeoutMs);
    return 'changed';
  }

  /** How many messages are not deleted: visible now, and in flight (received, hidden). */
  counts(): { visible: number; inFlight: number } {
    const now = this.host.now();
    let visible = 0;
    let inFlight = 0;
    for (const d of this.deliveries.values()) {
      if (d.deleted) continue;
      if (d.visibleAt > now) inFlight += 1;
      else visible += 1;
    }
    return { visible, inFlight };
  }

  /** Deletes the message a receipt handle was issued for; false when the handle is unknown or stale. */
  delete(receiptHandle: string): boolean {
    const id = this.receipts.get(receiptHandle);
    if (id === undefined) return false;
    this.receipts.delete(receiptHandle);
    const d = this.deliveries.get(id);
    if (!d || d.deleted) return false;
    // Reported first: a journal that fails leaves the message undeleted, not silently unrecorded.
    this.host.emit({ kind: 'sqs-delete', target: this.url, record: { MessageId: id } });
    d.deleted = true;
    return true;
  }

  /** @internal */
  append(message: SqsMessage): boolean {
    if (this.deliveries.has(message.MessageId)) return false;
    this.sent.push(message);
    this.deliveries.set(message.MessageId, { visibleAt: 0, receiveCount: 0, deleted: false });
    return true;
  }

  /** @internal */
  markDeleted(messageId: string): void {
    const d = this.deliveries.get(messageId);
    if (d) d.deleted = true;
  }
}

/** A local SNS topic (or target ARN / phone number): every message published, in order. */
export class LocalTopic {
  private readonly messages: SnsMessage[] = [];
  private readonly ids = new Set<string>();

  /** @internal */
  constructor(readonly target: string) {}

  published(): SnsMessage[] {
    return this.messages.map(clone);
  }

  /** @internal */
  append(message: SnsMessage): boolean {
    if (this.ids.has(message.MessageId)) return false;
    this.ids.add(message.MessageId);
    this.messages.push(message);
    return true;
  }
}

/** An injected EventBridge entry failure. */
export interface EventBusFault {
  /** Default `InternalFailure`. */
  errorCode?: string;
  errorMessage?: string;
  /** How many entries fail (default 1). */
  times?: number;
}

/** A local EventBridge bus: every event put, in order, plus entry-failure injection. */
export class LocalBus {
  private readonly stored: EventBridgeEvent[] = [];
  private readonly ids = new Set<string>();
  private faults: Array<{ errorCode: string; errorMessage: string; remaining: number }> = [];

  /** @internal */
  constructor(readonly name: string) {}

  events(): EventBridgeEvent[] {
    return this.stored.map(clone);
  }

  /**
   * Makes the next entries put to this bus fail (one entry per `times`): `PutEvents` answers
   * with `FailedEntryCount > 0` and the task fails with `EventBridge.FailedEntry`.
   */
  injectFailure(fault: EventBusFault = {}): this {
    const times = fault.times ?? 1;
    if (times > 0) {
      this.faults.push({
        errorCode: fault.errorCode ?? 'InternalFailure',
        errorMessage: fault.errorMessage ?? 'Injected failure',
        remaining: times,
      });
    }
    return this;
  }

  clearFailures(): void {
    this.faults = [];
  }

  /** @internal The next injected failure, consumed. */
  takeFault(): { errorCode: string; errorMessage: string } | undefined {
    const fault = this.faults[0];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.shift();
    return { errorCode: fault.errorCode, errorMessage: fault.errorMessage };
  }

  /** @internal */
  append(event: EventBridgeEvent): boolean {
    if (this.ids.has(event.EventId)) return false;
    this.ids.add(event.EventId);
    this.stored.push(event);
    return true;
  }
}

/** `arn:aws:events:<r>:<a>:event-bus/<name>` or a name -> the bus name. */
export function busNameOf(nameOrArn: string): string {
  const m = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return m ? m[1]! : nameOrArn;
}

export class Outboxes {
  readonly autoCreate: boolean;
  private readonly queueMap = new Map<string, LocalQueue>();
  private readonly topicMap = new Map<string, LocalTopic>();
  private readonly busMap = new Map<string, LocalBus>();
  private readonly listeners = new Set<OutboxListener>();
  private readonly host: Host;

  constructor(options: OutboxesOptions = {}) {
    this.autoCreate = options.autoCreate ?? true;
    const now = options.now ?? Date.now;
    const newId = options.newId ?? (() => nodeCrypto().randomUUID());
    this.host = { now, newId, emit: (record) => this.emit(record) };
  }

  /** The queue at `url`, declared if new. */
  queue(url: string): LocalQueue {
    let queue = this.queueMap.get(url);
    if (!queue) {
      queue = new LocalQueue(url, this.host);
      this.queueMap.set(url, queue);
    }
    return queue;
  }

  /** The topic (or SNS target ARN / phone number), declared if new. */
  topic(arn: string): LocalTopic {
    let topic = this.topicMap.get(arn);
    if (!topic) {
      topic = new LocalTopic(arn);
      this.topicMap.set(arn, topic);
    }
    return topic;
  }

  /** The bus with this name or ARN, declared if new. */
  bus(nameOrArn: string): LocalBus {
    const name = busNameOf(nameOrArn);
    let bus = this.busMap.get(name);
    if (!bus) {
      bus = new LocalBus(name);
      this.busMap.set(name, bus);
    }
    return bus;
  }

  hasQueue(url: string): boolean {
    return this.queueMap.has(url);
  }

  hasTopic(arn: string): boolean {
    return this.topicMap.has(arn);
  }

  hasBus(nameOrArn: string): boolean {
    return this.busMap.has(busNameOf(nameOrArn));
  }

  queues(): LocalQueue[] {
    return [...this.queueMap.values()];
  }

  topics(): LocalTopic[] {
    return [...this.topicMap.values()];
  }

  buses(): LocalBus[] {
    return [...this.busMap.values()];
  }

  /**
   * Reports every record (sends, publishes, events, SQS deletes) as it happens; returns an
   * unsubscribe function. A listener that throws makes the sending task fail with that error
   * (a journal that cannot persist a message must not lose it silently).
   */
  onRecord(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Loads records back (after a restart) without reporting them; records already present are skipped. */
  restore(records: Iterable<OutboxRecord>): void {
    for (const r of records) {
      switch (r.kind) {
        case 'sqs':
          this.queue(r.target).append(clone(r.record));
          break;
        case 'sqs-delete':
          this.queue(r.target).markDeleted(r.record.MessageId);
          break;
        case 'sns':
          this.topic(r.target).append(clone(r.record));
          break;
        case 'events':
          this.bus(r.target).append(clone(r.record));
          break;
      }
    }
  }

  /** @internal */
  newId(): string {
    return this.host.newId();
  }

  /**
   * @internal Reports a sent message, then delivers it (reported first: when the journal
   * throws, the message is neither persisted nor visible, and the task fails).
   */
  deliverSqs(url: string, message: SqsMessage): void {
    this.emit({ kind: 'sqs', target: url, record: clone(message) });
    this.queue(url).append(message);
  }

  /** @internal */
  deliverSns(target: string, message: SnsMessage): void {
    this.emit({ kind: 'sns', target, record: clone(message) });
    this.topic(target).append(message);
  }

  /** @internal */
  deliverEvent(busName: string, event: EventBridgeEvent): void {
    this.emit({ kind: 'events', target: busName, record: clone(event) });
    this.bus(busName).append(event);
  }

  private emit(record: OutboxRecord): void {
    for (const listener of [...this.listeners]) listener(record);
  }
}

export function createOutboxes(options: OutboxesOptions = {}): Outboxes {
  return new Outboxes(options);
}
