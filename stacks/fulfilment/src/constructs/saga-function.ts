import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { join } from 'node:path';
import { App, AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { lambdaPackage, type LambdaPackage } from '../lambda-zip.js';
import { assumeRolePolicy, policyDocument, statement, wildcardResourceStatement, type PolicyStatement } from '../iam/policy.js';

export interface SagaFunctionProps {
  /** The deployed function name, e.g. `saga-dev-charge-payment`. */
  readonly functionName: string;
  readonly description: string;
  /** The directory holding the esbuild bundle `handler.mjs` (zipped, with its source map if any, as the function's code). */
  readonly bundleDir: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly environment: Record<string, string>;
  /** The function's own permissions; logging to its log group and X-Ray are added here. */
  readonly statements: readonly PolicyStatement[];
  /** Lambda layer version ARNs (extensions), if any. */
  readonly layers?: readonly string[];
  readonly logRetentionDays: number;
}

/** Node.js runtime of every function (the bundles target node22). */
export const LAMBDA_RUNTIME = 'nodejs22.x';
export const LAMBDA_ARCHITECTURE = 'arm64';

/**
 * One Lambda of the saga: its code asset, log group, execution role with exactly its permissions,
 * and the function (nodejs22.x on arm64, X-Ray active, JSON logs to its own log group).
 * Terraform addresses use the construct id: `aws_lambda_function.<id>`, `aws_iam_role.<id>`, …,
 * so `${aws_lambda_function.charge-payment.arn}` names the app `apps/charge-payment`.
 */
export class SagaFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  readonly asset: TerraformAsset;
  readonly package: LambdaPackage;

  constructor(scope: Construct, id: string, props: SagaFunctionProps) {
    super(scope, id);

    // Zipped in process (deterministic, handler only); the asset copies the zip into cdktf.out.
    this.package = lambdaPackage(props.bundleDir, join(App.of(this).outdir, '.lambda-packages'));
    this.asset = new TerraformAsset(this, 'code', { path: this.package.file, type: AssetType.FILE });

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });
    this.logGroup.overrideLogicalId(id);

    this.role = new IamRole(this, 'role', {
      name: `${props.functionName}-fn`,
      description: `Execution role of ${props.functionName}`,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
    });
    this.role.overrideLogicalId(id);

    this.policy = new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: policyDocument([
        ...props.statements,
        // The function's own log group only; Lambda creates one stream per execution environment.
        statement('WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${this.logGroup.arn}:*`]),
        // X-Ray has no resource-level permissions (allow-listed in iam/allow-list.ts).
        wildcardResourceStatement('WriteTraces', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], 'lambda'),
      ]),
    });
    this.policy.overrideLogicalId(id);

    this.fn = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description.slice(0, 256),
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: 'handler.handler',
      filename: this.asset.path,
      sourceCodeHash: this.package.sha256Base64,
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      environment: { variables: props.environment },
      ...(props.layers && props.layers.length > 0 ? { layers: [...props.layers] } : {}),
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      tracingConfig: { mode: 'Active' },
      // The log group exists (with its retention) and the role can write to it before the first invocation.
      dependsOn: [this.logGroup, this.policy],
    });
    this.fn.overrideLogicalId(id);
  }
}
