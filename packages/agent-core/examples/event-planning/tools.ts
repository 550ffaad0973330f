/**
 * The event-planning tools, scoped to the ids of the run's validated metadata: the model never chooses which event
 * or venue it works on, so it cannot reach another client's data.
 */
import { defineTool, RequestError } from '@relaykit/tool-registry';
import { z } from 'zod';
import { appendCapped, nextDemoId } from '../demo-store.ts';
import type { EventPlanningStore, PlannedEvent } from './data.ts';

const none = z.object({});

function eventOf(store: EventPlanningStore, eventId: string, venueId?: string): PlannedEvent {
  const event = store.events.find(
    (e) => e.id === eventId && (venueId === undefined || e.venueId === venueId),
  );
  if (!event) throw new RequestError('not_found', `event ${eventId} does not exist at this venue`);
  return event;
}

/** Options of the tool sets. */
export interface EventPlanningToolOptions {
  /**
   * Writes the user should confirm first (`addGuest`, `updateEvent`, `requestElementChange`) need approval: the run
   * pauses and the ChatKit server shows an Approve / Reject widget. Default true.
   */
  approvals?: boolean;
}

/** Tools of the `client` agent, for one client's event. */
export function clientTools(
  store: EventPlanningStore,
  scope: { clientId: string; eventId: string },
  options: EventPlanningToolOptions = {},
) {
  const needsApproval = options.approvals ?? true;
  const event = () => eventOf(store, scope.eventId);
  return [
    defineTool({
      name: 'getEventDetails',
      description: 'The event: date, guest count, budget and selected elements.',
      risk: 'read',
      input: none,
      execute: () => event(),
    }),
    defineTool({
      name: 'listAvailableElements',
      description: 'Elements the venue offers, with prices.',
      risk: 'read',
      input: none,
      execute: () => ({ elements: store.catalogue.filter((item) => item.venueId === event().venueId) }),
    }),
    defineTool({
      name: 'requestElementChange',
      description: 'Ask the venue to add or remove an element; the venue confirms it.',
      risk: 'write',
      needsApproval,
      input: z.object({ element: z.string().min(1), action: z.enum(['add', 'remove']), note: z.string() }),
      execute: ({ element, action, note }) => {
        if (
          action === 'add' &&
          !store.catalogue.some((i) => i.venueId === event().venueId && i.name === element)
        ) {
          throw new RequestError('not_found', `the venue does not offer "${element}"`);
        }
        const request = { eventId: scope.eventId, element, action, note };
        appendCapped(store.changeRequests, request);
        return { requested: request };
      },
    }),
    defineTool({
      name: 'viewGuestList',
      description: 'The guests of the event.',
      risk: 'read',
      input: none,
      execute: () => ({ guests: store.guests.filter((guest) => guest.eventId === scope.eventId) }),
    }),
    defineTool({
      name: 'addGuest',
      description: 'Add a guest to the event.',
      risk: 'write',
      needsApproval,
      input: z.object({ name: z.string().min(1), email: z.email().nullable() }),
      execute: ({ name, email }) => {
        appendCapped(store.guests, { eventId: scope.eventId, name, email });
        return {
          added: name,
          guests: store.guests.filter((guest) => guest.eventId === scope.eventId).length,
        };
      },
    }),
    defineTool({
      name: 'viewContract',
      description: 'The event contract: total, signature, terms.',
      risk: 'read',
      input: none,
      execute: () => {
        const contract = store.contracts.find((c) => c.eventId === scope.eventId);
        if (!contract) throw new RequestError('not_found', 'this event has no contract yet');
        return contract;
      },
    }),
  ];
}

/** Tools of the `venue_general` agent, across one venue's events. */
export function venueGeneralTools(store: EventPlanningStore, scope: { venueId: string }) {
  return [
    defineTool({
      name: 'listEvents',
      description: 'Upcoming events at the venue.',
      risk: 'read',
      input: none,
      execute: () => ({
        events: store.events
          .filter((e) => e.venueId === scope.venueId)
          .map(({ id, name, date, guestCount }) => ({ id, name, date, guestCount })),
      }),
    }),
    defineTool({
      name: 'getEventSummary',
      description: 'Summary of one event at the venue.',
      risk: 'read',
      input: z.object({ eventId: z.string() }),
      execute: ({ eventId }) => {
        const { id, name, date, guestCount, budget, elements } = eventOf(store, eventId, scope.venueId);
        return { id, name, date, guestCount, budget, elements: elements.length };
      },
    }),
    defineTool({
      name: 'listVendors',
      description: 'Vendors working with the venue.',
      risk: 'read',
      input: none,
      execute: () => ({ vendors: store.vendors.filter((v) => v.venueId === scope.venueId) }),
    }),
    defineTool({
      name: 'listPendingTasks',
      description: 'Open tasks of the venue.',
      risk: 'read',
      input: none,
      execute: () => ({ tasks: store.tasks.filter((t) => t.venueId === scope.venueId && !t.done) }),
    }),
    defineTool({
      name: 'searchMessages',
      description: 'Search the venue’s messages (case-insensitive text match).',
      risk: 'read',
      input: z.object({ query: z.string().min(1) }),
      execute: ({ query }) => ({
        messages: store.messages.filter(
          (m) => m.venueId === scope.venueId && m.text.toLowerCase().includes(query.toLowerCase()),
        ),
      }),
    }),
  ];
}

/** Tools of the `venue_event` agent, for one event at one venue. */
export function venueEventTools(
  store: EventPlanningStore,
  scope: { venueId: string; eventId: string },
  options: EventPlanningToolOptions = {},
) {
  const needsApproval = options.approvals ?? true;
  const event = () => eventOf(store, scope.eventId, scope.venueId);
  return [
    defineTool({
      name: 'getEventDetails',
      description: 'The event: date, guest count, budget and elements.',
      risk: 'read',
      input: none,
      execute: () => event(),
    }),
    defineTool({
      name: 'updateElementStatus',
      description: 'Confirm or cancel an element of the event.',
      risk: 'write',
      input: z.object({
        element: z.string().min(1),
        status: z.enum(['requested', 'confirmed', 'cancelled']),
      }),
      execute: ({ element, status }) => {
        const current = event();
        const found = current.elements.find((e) => e.name === element);
        if (found) found.status = status;
        else current.elements.push({ name: element, status });
        return { elements: current.elements };
      },
    }),
    defineTool({
      name: 'sendMessageToClient',
      description: 'Send a message to the event’s client.',
      risk: 'write',
      input: z.object({ text: z.string().min(1) }),
      execute: ({ text }) => {
        const message = { venueId: scope.venueId, eventId: scope.eventId, to: event().clientId, text };
        appendCapped(store.messages, message);
        return { sent: message };
      },
    }),
    defineTool({
      name: 'sendMessageToVendor',
      description: 'Send a message to one of the venue’s vendors.',
      risk: 'write',
      input: z.object({ vendorId: z.string(), text: z.string().min(1) }),
      execute: ({ vendorId, text }) => {
        if (!store.vendors.some((v) => v.id === vendorId && v.venueId === scope.venueId)) {
          throw new RequestError('not_found', `vendor ${vendorId} does not work with this venue`);
        }
        const message = { venueId: scope.venueId, eventId: scope.eventId, to: vendorId, text };
        appendCapped(store.messages, message);
        return { sent: message };
      },
    }),
    defineTool({
      name: 'createTask',
      description: 'Create a task for the venue team about this event.',
      risk: 'write',
      input: z.object({ title: z.string().min(1) }),
      execute: ({ title }) => {
        const task = {
          id: nextDemoId(store.tasks, 'task'),
          venueId: scope.venueId,
          eventId: scope.eventId,
          title,
          done: false,
        };
        appendCapped(store.tasks, task);
        return task;
      },
    }),
    defineTool({
      name: 'updateEvent',
      description: 'Change the event’s date or guest count (null keeps the current value).',
      risk: 'write',
      needsApproval,
      input: z.object({
        date: z.iso.date().nullable(),
        guestCount: z.number().int().positive().nullable(),
      }),
      execute: ({ date, guestCount }) => {
        const current = event();
        if (date !== null) current.date = date;
        if (guestCount !== null) current.guestCount = guestCount;
        return { date: current.date, guestCount: current.guestCount };
      },
    }),
  ];
}
