import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { SigningAlgorithm } from '@sso/contracts';

export interface KeyMaterial {
  kid: string;
  publicJwk: JWK;
  /** PKCS#8 DER of the private key, to be encrypted before it is stored. */
  privateKeyDer: Buffer;
}

function generatePair(algorithm: SigningAlgorithm): { publicKey: KeyObject; privateKey: KeyObject } {
  switch (algorithm) {
    case 'RS256':
    case 'PS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }
}

/** A new key pair; its `kid` is the RFC 7638 thumbprint of the public key. */
export async function generateKeyMaterial(algorithm: SigningAlgorithm): Promise<KeyMaterial> {
  const { publicKey, privateKey } = generatePair(algorithm);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    kid,
    publicJwk: { ...jwk, kid, alg: algorithm, use: 'sig' },
    privateKeyDer: privateKey.export({ type: 'pkcs8', format: 'der' }),
  };
}

export function importPrivateKey(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}
