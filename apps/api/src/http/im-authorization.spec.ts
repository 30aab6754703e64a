import { describe, expect, it } from 'vitest';
import { ImAuthorizationError, parseImAuthorization } from './im-authorization';

const fails = (header: string | undefined): ImAuthorizationError => {
  try {
    parseImAuthorization(header);
  } catch (error) {
    if (error instanceof ImAuthorizationError) return error;
    throw error;
  }
  throw new Error('parsed');
};

describe('parseImAuthorization', () => {
  it('im_client: lines "key = value;" joined by a literal \\n, the IM line giving the bearer token', () => {
    const header = 'id = im;type = InfrastructureManager;token = abc.def;\\nid = ost;type = OpenStack;host = http://127.0.0.1:5000;username = u;password = p;tenant = t;\\n';
    expect(parseImAuthorization(header)).toEqual({
      bearer: 'Bearer abc.def',
      clouds: [{ id: 'ost', type: 'OpenStack', host: 'http://127.0.0.1:5000', username: 'u', password: 'p', tenant: 't' }],
    });
  });

  it('dodas-go-client: the cloud line first, fields joined by ";" without spaces', () => {
    const header = 'id = os;type = OpenStack;username = u;password = p;host = https://os.example:5000/;tenant = t;auth_version = 3.x_password;domain = default\\nid = im;type = InfrastructureManager;token = T';
    const parsed = parseImAuthorization(header);
    expect(parsed.bearer).toBe('Bearer T');
    expect(parsed.clouds.map((c) => c.host)).toEqual(['https://os.example:5000/']);
  });

  it('quotes keep ";" and "=" inside a value; an escaped \\\\n is a newline inside the value', () => {
    const parsed = parseImAuthorization("type = OpenStack; host = h; password = 'a;b=c'; key = 'l1\\\\nl2'\\ntype = InfrastructureManager; token = x");
    expect(parsed.clouds[0]).toEqual({ type: 'OpenStack', host: 'h', password: 'a;b=c', key: 'l1\nl2' });
  });

  it('Bearer passes through; no header is 401; Basic is 401 with what to send instead', () => {
    expect(parseImAuthorization('Bearer t0k')).toEqual({ bearer: 'Bearer t0k', clouds: [] });
    expect(fails(undefined).status).toBe(401);
    expect(fails('Basic dTpw').message).toMatch(/Bearer <token>/);
  });

  it('an unsupported type names it and the line; no secret is repeated', () => {
    const e = fails('id = ec2; type = EC2; username = AK; password = SECRETKEY\\ntype = InfrastructureManager; token = x');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/line 1 \(id ec2\): credentials of type EC2 are not supported/);
    expect(e.message).not.toMatch(/SECRETKEY|AK/);
  });

  it('an IM line with username/password only is 401; an OpenStack line without host is 400', () => {
    expect(fails('type = InfrastructureManager; username = u; password = p').status).toBe(401);
    expect(fails('type = OpenStack; username = u\\ntype = InfrastructureManager; token = x').message).toMatch(/needs host/);
  });
});
