/**
 * The AWS Parameters and Secrets Lambda Extension, attached as a layer to ChargePayment and
 * RefundPayment: they read the Stripe key through it (`GET localhost:<port>/secretsmanager/get`)
 * instead of bundling a Secrets Manager client. The function's role still needs
 * `secretsmanager:GetSecretValue` on the secret: the extension calls Secrets Manager with it.
 *
 * AWS publishes the layer from a different account in each region, and its version numbers differ
 * per region too, so the ARN is looked up here. Source: the ARN table of
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html, as
 * the AWS CDK records it (`PARAMS_AND_SECRETS_LAMBDA_LAYER_ARNS`, extension 1.0.103, arm64).
 */

/** The layer name for arm64 functions (every function here is arm64). */
export const SECRETS_EXTENSION_LAYER_NAME = 'AWS-Parameters-and-Secrets-Lambda-Extension-Arm64';

/** The port the extension listens on unless `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` says otherwise. */
export const SECRETS_EXTENSION_DEFAULT_PORT = 2773;

/**
 * Per region with an arm64 layer: the publishing account, and the layer version of extension
 * 1.0.103 (the default; `secretsExtension.layerVersion` picks a newer one from the AWS docs).
 */
export const SECRETS_EXTENSION_ARM64_LAYERS: Readonly<Record<string, { readonly account: string; readonly version: number }>> = {
  'af-south-1': { account: '317013901791', version: 1 },
  'ap-east-1': { account: '768336418462', version: 1 },
  'ap-northeast-1': { account: '133490724326', version: 4 },
  'ap-northeast-2': { account: '738900069198', version: 1 },
  'ap-south-1': { account: '176022468876', version: 4 },
  'ap-southeast-1': { account: '044395824272', version: 4 },
  'ap-southeast-2': { account: '665172237481', version: 4 },
  'ap-southeast-3': { account: '490737872127', version: 1 },
  'ca-central-1': { account: '200266452380', version: 1 },
  'eu-central-1': { account: '187925254637', version: 4 },
  'eu-north-1': { account: '427196147048', version: 1 },
  'eu-south-1': { account: '325218067255', version: 1 },
  'eu-west-1': { account: '015030872274', version: 4 },
  'eu-west-2': { account: '133256977650', version: 4 },
  'eu-west-3': { account: '780235371811', version: 1 },
  'me-south-1': { account: '832021897121', version: 1 },
  'sa-east-1': { account: '933737806257', version: 1 },
  'us-east-1': { account: '177933569100', version: 4 },
  'us-east-2': { account: '590474943231', version: 4 },
  'us-west-1': { account: '997803712105', version: 1 },
  'us-west-2': { account: '345057560386', version: 4 },
};

/** A Lambda layer version ARN (`arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>`). */
export const LAYER_VERSION_ARN = /^arn:aws(?:-[a-z]+)*:lambda:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):layer:[A-Za-z0-9_-]{1,140}:(\d+)$/;

/** How an environment picks the layer (`EnvironmentConfig.secretsExtension`). */
export interface SecretsExtensionSettings {
  /** The layer version in the stack's region. @default the region's version of extension 1.0.103 */
  readonly layerVersion?: number | undefined;
  /** A full layer version ARN instead (a region missing from the table); it must be in the stack's region. */
  readonly layerArn?: string | undefined;
}

/**
 * The extension's layer version ARN for a stack in `region`.
 * @throws {Error} for a region without a known arm64 layer (set `layerArn`), or a `layerArn` of another region
 */
export function secretsExtensionLayerArn(region: string, settings: SecretsExtensionSettings = {}): string {
  if (settings.layerArn !== undefined) {
    const m = LAYER_VERSION_ARN.exec(settings.layerArn);
    if (!m) throw new Error(`secretsExtension.layerArn is not a Lambda layer version ARN: ${settings.layerArn}`);
    if (m[1] !== region) throw new Error(`secretsExtension.layerArn is in ${m[1]}, but the stack deploys to ${region} (a function can only use layers of its region)`);
    return settings.layerArn;
  }
  const layer = SECRETS_EXTENSION_ARM64_LAYERS[region];
  if (!layer) {
    throw new Error(
      `no arm64 AWS Parameters and Secrets Lambda Extension layer is known for ${region}: set secretsExtension.layerArn from the AWS docs`,
    );
  }
  return `arn:aws:lambda:${region}:${layer.account}:layer:${SECRETS_EXTENSION_LAYER_NAME}:${settings.layerVersion ?? layer.version}`;
}
