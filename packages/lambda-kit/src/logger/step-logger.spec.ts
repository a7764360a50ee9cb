import { describe, expect, it } from 'vitest';
import { recordingLogger, silentLogger } from './step-logger.js';

describe('silentLogger', () => {
  it('drops everything', () => {
    expect(() => {
      silentLogger.debug('d', { a: 1 });
      silentLogger.info('i');
      silentLogger.warn('w');
      silentLogger.error('e');
    }).not.toThrow();
  });
});

describe('recordingLogger', () => {
  it('keeps each call with its attributes merged, and the contexts', () => {
    const logger = recordingLogger();
    logger.debug('d');
    logger.info('i', { orderId: 'o1' }, { outcome: 'ok' });
    logger.warn('w', { reason: 'r' });
    logger.error('e', { errorName: 'X' });
    logger.addContext({ awsRequestId: 'req-1' });
    expect(logger.entries).toEqual([
      { level: 'debug', message: 'd', attributes: {} },
      { level: 'info', message: 'i', attributes: { orderId: 'o1', outcome: 'ok' } },
      { level: 'warn', message: 'w', attributes: { reason: 'r' } },
      { level: 'error', message: 'e', attributes: { errorName: 'X' } },
    ]);
    expect(logger.contexts).toEqual([{ awsRequestId: 'req-1' }]);
  });

  it('gives each logger its own records', () => {
    const a = recordingLogger();
    recordingLogger().info('other');
    expect(a.entries).toEqual([]);
  });
});
