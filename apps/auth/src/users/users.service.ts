import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { PasswordHasher } from './password-hasher.js';
import { User } from './user.entity.js';

export interface UserView {
  id: string;
  username: string;
  scopes: string[];
  disabled: boolean;
  createdAt: Date;
}

export function userView({ id, username, scopes, disabled, createdAt }: User): UserView {
  return { id, username, scopes, disabled, createdAt };
}

const duplicate = (username: string) => new ConflictException({ message: `user ${username} already exists`, code: 'user_exists' });

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
  ) {}

  count(): Promise<number> {
    return this.users.count();
  }

  async create(username: string, password: string, scopes: string[]): Promise<User> {
    if (await this.users.existsBy({ username })) throw duplicate(username);
    const now = new Date();
    const user = this.users.create({ id: randomUUID(), username, passwordHash: await this.hasher.hash(password), scopes, disabled: false, createdAt: now, updatedAt: now });
    try {
      return await this.users.save(user);
    } catch (error) {
      // Two creations of one name raced past the check above: the unique index decided.
      if (error instanceof QueryFailedError && (await this.users.existsBy({ username }))) throw duplicate(username);
      throw error;
    }
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async get(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException({ message: `user ${id} does not exist`, code: 'user_not_found' });
    return user;
  }

  list(offset: number, limit: number): Promise<[User[], number]> {
    return this.users.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, skip: offset, take: limit });
  }

  async update(id: string, changes: { scopes?: string[]; password?: string; disabled?: boolean }): Promise<User> {
    const user = await this.get(id);
    if (changes.scopes) user.scopes = changes.scopes;
    if (changes.password !== undefined) user.passwordHash = await this.hasher.hash(changes.password);
    if (changes.disabled !== undefined) user.disabled = changes.disabled;
    user.updatedAt = new Date();
    return this.users.save(user);
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.users.delete({ id });
  }
}
