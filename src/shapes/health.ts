import { Type } from 'typebox';
import { Timestamp } from './common.js';

export const Health = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  database: Type.String({ examples: ['connected'] }),
  redis: Type.String({ examples: ['connected'] }),
  timestamp: Timestamp,
});

export const TestMerchant = Type.Object({
  id: Type.String(),
  email: Type.String(),
  api_key: Type.String(),
  seeded: Type.Boolean(),
});

export const JobsStatus = Type.Object({
  pending: Type.Integer(),
  processing: Type.Integer(),
  completed: Type.Integer(),
  failed: Type.Integer(),
  worker_status: Type.Union([Type.Literal('running'), Type.Literal('stopped')]),
});
