import { randomBytes } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Client } from './client.entity.js';
import { matchesHash, sha256Hex } from './secret-hash.js';

export interface ClientView {
  client_id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
}

export function clientView({ id, name, scopes, createdAt }: Client): ClientView {
  return { client_id: id, name, scopes, createdAt };
}

@Injectable()
export class ClientsService {
  constructor(@InjectRepository(Client) private readonly clients: Repository<Client>) {}

  /** Registers a client; the secret is returned here and never again. */
  async create(name: string, scopes: string[]): Promise<{ client: Client; secret: string }> {
    const secret = randomBytes(32).toString('base64url');
    const client = this.clients.create({ id: `client_${randomBytes(12).toString('base64url')}`, name, secretHash: sha256Hex(secret), scopes, createdAt: new Date() });
    await this.clients.save(client);
    return { client, secret };
  }

  list(offset: number, limit: number): Promise<[Client[], number]> {
    return this.clients.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, skip: offset, take: limit });
  }

  async delete(id: string): Promise<void> {
    const { affected } = await this.clients.delete({ id });
    if (!affected) throw new NotFoundException({ message: `client ${id} does not exist`, code: 'client_not_found' });
  }

  exists(id: string): Promise<boolean> {
    return this.clients.existsBy({ id });
  }

  /** The client when the secret is right; undefined for an unknown client or a wrong secret alike. */
  async authenticate(id: string, secret: string): Promise<Client | undefined> {
    const client = await this.clients.findOneBy({ id });
    const matches = matchesHash(secret, client?.secretHash ?? sha256Hex(''));
    return client && matches ? client : undefined;
  }
}
