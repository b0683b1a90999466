import { Type } from 'typebox';
import { PASSWORD_MAX_LENGTH } from '../services/passwords.js';
import { VOLUME_DAYS } from './overview.js';

/** Shapes of the dashboard's own JSON endpoints (hidden from the public OpenAPI document). */
export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ maxLength: PASSWORD_MAX_LENGTH }),
  },
  { additionalProperties: false },
);

export const SignUpBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: PASSWORD_MAX_LENGTH }),
  },
  { additionalProperties: false },
);

const Merchant = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() });

export const SessionInfo = Type.Object({
  merchant: Merchant,
  csrf_token: Type.String(),
  test_mode: Type.Boolean(),
  api_url: Type.String(),
  checkout_url: Type.String(),
});

/** The secret is null except for the test merchant's published one: every other exists only as a hash. */
export const Credentials = Type.Object({
  api_key: Type.String(),
  api_secret: Type.Union([Type.String(), Type.Null()]),
});

/** New credentials, shown once: after sign-up and after "regenerate API secret". */
export const IssuedCredentials = Type.Object({ api_key: Type.String(), api_secret: Type.String() });

export const SignUpInfo = Type.Object({
  ...SessionInfo.properties,
  credentials: IssuedCredentials,
});

export const Stats = Type.Object({
  total_transactions: Type.Integer(),
  successful: Type.Integer(),
  failed: Type.Integer(),
  pending: Type.Integer(),
  success_rate: Type.Number(),
  amounts: Type.Array(Type.Object({ currency: Type.String(), amount: Type.Integer() })),
});

export const VolumeQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({ minimum: VOLUME_DAYS.min, maximum: VOLUME_DAYS.max, default: VOLUME_DAYS.default }),
    ),
    currency: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$', default: 'INR' })),
  },
  { additionalProperties: false },
);

export const Volume = Type.Object({
  currency: Type.String(),
  days: Type.Array(
    Type.Object({
      day: Type.String(),
      payments: Type.Integer(),
      successful: Type.Integer(),
      failed: Type.Integer(),
      amount: Type.Integer(),
    }),
  ),
});

/** The transactions page's filter, as its CSV export link carries it (checked again by the service). */
export const PaymentExportQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 16 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(Type.String({ maxLength: 10 })),
    to: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);
