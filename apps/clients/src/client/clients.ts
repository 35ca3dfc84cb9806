import { Injectable } from '@nestjs/common';
import { aggregateFor } from '@vaops/platform';
import { clientStreamId } from './client';
import { clientDecider } from './client.decider';

/** The client streams (`client-<id>`): `clients.execute(id, command, principal)`. */
@Injectable()
export class Clients extends aggregateFor(clientDecider, clientStreamId) {}
