import { Injectable } from '@nestjs/common';

/**
 * Task ids of writes. Every write here is done before it is answered, so each task is
 * published as soon as its id is known, and the task endpoint needs no memory of them: ids
 * only have to be positive integers that grow. They follow the clock in milliseconds and, within
 * a millisecond, count on, so they increase within a process and, roughly, across restarts.
 */
@Injectable()
export class TaskIds {
  private last = 0;

  next(): number {
    this.last = Math.max(this.last + 1, Date.now());
    return this.last;
  }
}
