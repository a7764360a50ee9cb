import { createRequire } from 'node:module';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

/** asl-validator (npm, v4): an independent check, used only in tests. It mutates its input, so it gets a clone. */
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

export function independentlyValidate(definition: unknown): { isValid: boolean; errors: string } {
  const { isValid, errorsText } = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  return { isValid, errors: isValid ? '' : errorsText('\n') };
}
