// Staff sessions and the hidden fields of workspace forms, for HTTP tests.
import type request from 'supertest';
import { createStaffUser, type Role } from '../../server/auth/staff';
import { csrfFrom, type TestDesk } from './desk';

export async function loginAs(desk: TestDesk, email: string, role: Role, name = email.split('@')[0]!): Promise<request.Agent> {
  const password = 'staff-password-123';
  await createStaffUser(desk.db, { email, name, role, password }, Date.now());
  const agent = desk.agent();
  const csrf = await csrfFrom(agent, '/login');
  const res = await agent.post('/login').type('form').send({ _csrf: csrf, email, password });
  if (res.status !== 303) throw new Error(`login failed for ${email}: ${res.status}`);
  return agent;
}

/** The hidden fields (CSRF token, ticket version, load time) of the first form posting to `action`. */
export function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) fields[m[1]!] = m[2]!.replace(/&#34;/g, '"').replace(/&amp;/g, '&');
  return fields;
}

/** Opens the workspace and posts one of its forms with extra fields. */
export async function postWorkspaceForm(agent: request.Agent, number: string, path: string, fields: Record<string, string>) {
  const page = await agent.get(`/desk/tickets/${number}`);
  const action = `/desk/tickets/${number}${path}`;
  return agent.post(action).type('form').send({ ...formFields(page.text, action), ...fields });
}
