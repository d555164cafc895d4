import type { Agent } from "node:http";

export interface SendResult {
  ackMs: number[];
  non2xx: number;
}

export function deliveryAgent(): Agent;
export function deliver(agent: Agent, url: string, secret: string, event: string, body: string): Promise<{ status: number; ms: number }>;
export function sendAll(agent: Agent, url: string, secret: string, payloads: readonly string[], inFlight: number): Promise<SendResult>;
