// Floors for bench:service (c): what this machine allows for the same responses without baton.
// `node:http` answers the very bytes the service answered; `nest` is a bare Nest/Express app that
// answers the same JSON from memory (no middleware, guard, store or metrics). On a shared 2-core
// host both move with other work, so the bench prints them beside the service's figures.
import { Controller, Get, Inject, Module, Param, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer } from 'node:http';

export interface Floor {
  url: string;
  close(): Promise<void>;
}

export async function nodeHttpFloor(listBody: Buffer, getBody: Buffer): Promise<Floor> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(req.url === '/deployments' ? listBody : getBody);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const BODIES = Symbol('bodies');

interface Bodies {
  list: unknown;
  get: unknown;
}

@Controller('deployments')
class FloorController {
  constructor(@Inject(BODIES) private readonly bodies: Bodies) {}

  @Get()
  list(): unknown {
    return this.bodies.list;
  }

  @Get(':id')
  get(@Param('id') _id: string): unknown {
    return this.bodies.get;
  }
}

@Module({})
class FloorModule {
  static register(bodies: Bodies): DynamicModule {
    return { module: FloorModule, controllers: [FloorController], providers: [{ provide: BODIES, useValue: bodies }] };
  }
}

export async function nestFloor(listBody: Buffer, getBody: Buffer): Promise<Floor> {
  const app = await NestFactory.create(FloorModule.register({ list: JSON.parse(listBody.toString()), get: JSON.parse(getBody.toString()) }), { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
