/**
 * A Catalyst 3750 as a stack member: the box a cable plugs into. Its ports belong to the stack's
 * one switch plane, so a frame arriving on member 2's `Gi2/0/1` is switched by the stack
 * directly; the member itself keeps only what is its own — its hardware model, its MAC address,
 * the template in its flash, its power, and the time it takes to boot back into the stack.
 */
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Frame } from '../../core/frame.ts';
import type { Network } from '../../core/network.ts';
import { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { catalystBaseMac } from '../cisco-catalyst/device.ts';
import type { CatalystModel } from '../cisco-catalyst/info.ts';
import type { CatalystStack } from './stack.ts';

const NO_TIMER = -1;

export class StackMember extends NetworkNode implements ConsoleCapable, EventHandler {
  /** Stack member number (the lab's `slot`), the first figure of its port names. */
  readonly number: number;
  /** The member's own MAC address, as `show switch` lists it. */
  readonly mac: number;
  /** The hardware: which SDM templates it can run, and which ports it has. */
  readonly model: CatalystModel;
  powered = true;
  /**
   * The SDM template in this switch's flash. Only the master's counts: the stack runs it, and
   * every other member runs the stack's whatever its own flash holds, unless its hardware cannot.
   */
  sdmTemplate: string;
  private stack: CatalystStack | null = null;
  private readonly handlerId: number;
  private bootTimer = NO_TIMER;

  constructor(net: Network, name: string, number: number, model: CatalystModel, sdmTemplate: string) {
    super(net, name);
    this.number = number;
    this.model = model;
    this.sdmTemplate = sdmTemplate;
    this.mac = catalystBaseMac(name);
    this.handlerId = net.sched.register(this);
  }

  /** @internal the stack took this member in. */
  joined(stack: CatalystStack): void {
    this.stack = stack;
  }

  /** Its ports are the stack's; frames never reach the member itself. */
  receive(_port: Port, f: Frame): void {
    this.net.pool.release(f);
  }

  /** `Gi2/0/1` on member 2, in any spelling IOS accepts; a port of another member is not this one's. */
  override portByName(name: string): Port | undefined {
    return this.stack?.memberPort(this.number, name);
  }

  /** The scenario's power-off / power-on. */
  setPower(on: boolean): void {
    if (this.powered === on) return;
    this.powered = on;
    this.net.emit(on ? 'stack.member.power.on' : 'stack.member.power.off', `${this.name} powered ${on ? 'on' : 'off'}`, this.name);
    this.stack?.memberChanged(this);
  }

  /** @internal the stack starts this member's boot; it rejoins when the boot ends. */
  startBoot(delayNs: number): void {
    if (this.bootTimer !== NO_TIMER) return;
    this.bootTimer = this.net.sched.schedule(delayNs, this.handlerId, 0, null);
  }

  /** @internal power lost or pulled while booting. */
  cancelBoot(): void {
    if (this.bootTimer === NO_TIMER) return;
    this.net.sched.cancel(this.bootTimer);
    this.bootTimer = NO_TIMER;
  }

  onEvent(): void {
    this.bootTimer = NO_TIMER;
    this.stack?.memberBooted(this);
  }

  /** The console port of any member reaches the stack's one IOS. */
  openConsole(): CliSession {
    if (this.stack === null) throw new Error(`${this.name} is not in a stack`);
    return this.stack.openConsole();
  }
}
