// A throw-away CA and the API server's certificate, made at start with WebCrypto (ECDSA P-256):
// nothing is downloaded and no openssl binary is needed. Clients verify TLS against the CA, which the
// kubeconfig carries in certificate-authority-data.
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs a Reflect polyfill loaded first
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface SimulatorCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;

function toPem(der: ArrayBuffer, label: string): string {
  const base64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${base64.trimEnd()}\n-----END ${label}-----\n`;
}

export async function generateCertificates(extraNames: readonly string[] = []): Promise<SimulatorCertificates> {
  const crypto = webcrypto;
  // the library types its provider with the DOM Crypto type, which this Node-only project does not load
  x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1] & object);
  const notBefore = new Date(Date.now() - DAY_MS);
  const notAfter = new Date(Date.now() + 365 * DAY_MS);

  const caKeys = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=fleetgraph-simulator-ca',
    keys: caKeys,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const serverKeys = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const server = await x509.X509CertificateGenerator.create({
    subject: 'CN=fleetgraph-simulator',
    issuer: ca.subject,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
        // The name clients use when the API server is not on loopback (e.g. `simulator` in compose).
        ...extraNames.map((name) => ({ type: (/^[\d.]+$|:/.test(name) ? 'ip' : 'dns') as 'ip' | 'dns', value: name })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
    ],
  });

  const pkcs8 = await crypto.subtle.exportKey('pkcs8', serverKeys.privateKey);
  return {
    caPem: ca.toString('pem') + '\n',
    certPem: server.toString('pem') + '\n',
    keyPem: toPem(pkcs8, 'PRIVATE KEY'),
  };
}
