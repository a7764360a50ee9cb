export { analyzeError, type AnalyzeErrorDeps, type KnownPiiLookup } from './analyze-error.js';
export { AnalyzeErrorDefaults, DEFAULT_BEDROCK_MODEL_ID, parseAnalyzeErrorConfig, type AnalyzeErrorConfig, type BedrockSettings } from './config.js';
export { bedrockClient, createHandler, defaultDeps, SERVICE_NAME, type AnalyzeErrorHandler } from './create-handler.js';
export { ANALYSIS_TOOL_NAME, FactLimits, analysisToolSchema, converseRequest, errorFacts, type ErrorFacts } from './prompt.js';
export { createRedactor, ibanValid, knownPiiOfCustomer, luhnValid, placeholder, type KnownPii, type PiiKind, type Redactor, type RedactorOptions } from './redact.js';
export { PatternRules, TaxonomyAdvice, classifyByRules, taxonomyNameOf, type RuleFacts } from './rules.js';
