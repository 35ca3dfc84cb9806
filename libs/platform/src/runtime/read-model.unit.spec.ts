import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Db } from 'mongodb';
import { RUNTIME } from '../tokens';
import { READ_MODELS, collectionOf, ownedCollection, readModelFor, type ReadModelPort } from './read-model';

const APPOINTMENTS = 'sched_appointments';

@Injectable()
class Appointments extends readModelFor('scheduling.appointments', { docs: collectionOf<{ _id: string; title: string }>(APPOINTMENTS) }) {
  byId(id: string) {
    return this.collections.docs.findOne({ _id: id });
  }
}

@Injectable()
class AppointmentIndex extends ownedCollection<{ _id: string; title: string }>('appointment_index') {
  calendarOf(id: string) {
    return this.collection.findOne({ _id: id });
  }
}

describe('ReadModel', () => {
  const asked: string[] = [];
  const waited: [string, number | undefined][] = [];
  const db = { collection: (name: string) => ({ findOne: async (q: { _id: string }) => (asked.push(`${name}:${q._id}`), { _id: q._id, title: 'standup' }) }) } as unknown as Db;
  const port: ReadModelPort = { db, waitForProjection: async (projection, minPosition) => void waited.push([projection, minPosition]) };
  const runtime = { [READ_MODELS]: port };

  it('is injected with the runtime and reads its own collections by name', async () => {
    @Module({ providers: [{ provide: RUNTIME, useValue: runtime }, Appointments] })
    class TestModule {}
    const app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    try {
      const appointments = app.get(Appointments);
      await expect(appointments.byId('a1')).resolves.toEqual({ _id: 'a1', title: 'standup' });
      expect(asked).toEqual([`${APPOINTMENTS}:a1`]);
      expect(appointments.projection).toBe('scheduling.appointments');
      await appointments.waitFor(42);
      expect(waited).toEqual([['scheduling.appointments', 42]]);
    } finally {
      await app.close();
    }
  });

  it('reaches the database the runtime opens after the read model was built (at app start)', async () => {
    const late: { port?: ReadModelPort } = {};
    const starting = { get [READ_MODELS]() { return late.port!; } };
    @Module({ providers: [{ provide: RUNTIME, useValue: starting }, Appointments] })
    class StartingModule {}
    const app = await NestFactory.createApplicationContext(StartingModule, { logger: false });
    try {
      late.port = port;
      await expect(app.get(Appointments).byId('a2')).resolves.toEqual({ _id: 'a2', title: 'standup' });
      // a database opened later again (a restarted runtime) is the one read from then on
      const reopened: string[] = [];
      late.port = { ...port, db: { collection: (name: string) => ({ findOne: async () => (reopened.push(name), null) }) } as unknown as Db };
      await expect(app.get(Appointments).byId('a3')).resolves.toBeNull();
      expect(reopened).toEqual([APPOINTMENTS]);
    } finally {
      await app.close();
    }
  });

  it('opens each declared collection once per database, not on every query', async () => {
    const opened: string[] = [];
    const counting = { collection: (name: string) => (opened.push(name), { findOne: async (q: { _id: string }) => ({ _id: q._id, title: 'standup' }) }) } as unknown as Db;
    @Module({ providers: [{ provide: RUNTIME, useValue: { [READ_MODELS]: { ...port, db: counting } } }, Appointments] })
    class CountingModule {}
    const app = await NestFactory.createApplicationContext(CountingModule, { logger: false });
    try {
      const appointments = app.get(Appointments);
      for (const id of ['b1', 'b2', 'b3']) await appointments.byId(id);
      expect(opened).toEqual([APPOINTMENTS]);
    } finally {
      await app.close();
    }
  });

  it('an owned collection (written by commands) is injected the same way and reaches only its own collection', async () => {
    let started: Db | undefined;
    const lateRuntime = { get [READ_MODELS](): ReadModelPort { return { db: started as Db, waitForProjection: port.waitForProjection }; } };
    @Module({ providers: [{ provide: RUNTIME, useValue: lateRuntime }, AppointmentIndex] })
    class IndexModule {}
    const app = await NestFactory.createApplicationContext(IndexModule, { logger: false });
    try {
      const index = app.get(AppointmentIndex);
      started = db;
      asked.length = 0;
      await expect(index.calendarOf('a3')).resolves.toEqual({ _id: 'a3', title: 'standup' });
      expect(asked).toEqual(['appointment_index:a3']);
      expect(index.collectionName).toBe('appointment_index');
    } finally {
      await app.close();
    }
  });
});
