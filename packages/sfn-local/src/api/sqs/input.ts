import { sqsErrors } from './errors.js';

/** A request body as @aws-sdk/client-sqs sends it (AWS JSON 1.0): a JSON object. */
export type SqsInput = Readonly<Record<string, unknown>>;

/** A required string member (MissingParameter when absent or empty). */
export function requiredString(input: SqsInput, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === '') throw sqsErrors.missingParameter(name);
  if (typeof value !== 'string') throw sqsErrors.invalidParameterValue(name, JSON.stringify(value), 'Must be a string.');
  return value;
}

export function optionalString(input: SqsInput, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw sqsErrors.invalidParameterValue(name, JSON.stringify(value), 'Must be a string.');
  return value;
}

/** An optional integer member within `[min, max]` (InvalidParameterValue otherwise). */
export function optionalInteger(input: SqsInput, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw sqsErrors.invalidParameterValue(name, value, `Must be between ${min} and ${max}, if provided.`);
  }
  return value;
}

export function requiredInteger(input: SqsInput, name: string, min: number, max: number): number {
  const value = optionalInteger(input, name, min, max);
  if (value === undefined) throw sqsErrors.missingParameter(name);
  return value;
}

/** An optional list of strings. */
export function stringList(input: SqsInput, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw sqsErrors.invalidParameterValue(name, JSON.stringify(value), 'Must be a list of strings.');
  }
  return value;
}
