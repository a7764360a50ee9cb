/**
 * String shapes of the States language, as template literal types so a typo such as a
 * `.$` field whose value is not a path fails to compile. Runtime validation checks the rest.
 */

/** A JSONPath (`$.order.id`), a context path (`$$.Execution.Id`) or a variable (`$orderId`). */
export type Path = `$${string}`;

/** A Reference Path (ResultPath, ItemsPath, `*Path` fields): a single-node JSONPath. */
export type ReferencePath = Path;

/** An intrinsic function call such as `States.Format('order {}', $.id)`. */
export type IntrinsicFunctionCall = `States.${string}(${string})`;

/** A JSONata expression, `{% ... %}` with no surrounding whitespace. */
export type JsonataExpression = `{%${string}%}`;

/** A payload-template key whose value is evaluated (`"Payload.$": "$.order"`). */
export type DynamicKey = `${string}.$`;
