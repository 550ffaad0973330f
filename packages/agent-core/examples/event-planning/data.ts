/** The event-planning demo data set and the loaders the agents' context builders use. */

export interface EventElement {
  name: string;
  status: 'requested' | 'confirmed' | 'cancelled';
}

export interface PlannedEvent {
  id: string;
  venueId: string;
  clientId: string;
  name: string;
  date: string;
  guestCount: number;
  budget: number;
  elements: EventElement[];
}

export interface EventPlanningStore {
  venues: { id: string; name: string; city: string }[];
  events: PlannedEvent[];
  catalogue: { venueId: string; name: string; price: number }[];
  guests: { eventId: string; name: string; email: string | null }[];
  contracts: { eventId: string; total: number; signed: boolean; terms: string }[];
  changeRequests: { eventId: string; element: string; action: 'add' | 'remove'; note: string }[];
  vendors: { id: string; venueId: string; name: string; service: string }[];
  tasks: { id: string; venueId: string; eventId: string | null; title: string; done: boolean }[];
  messages: { venueId: string; eventId: string | null; to: string; text: string }[];
}

/** A small in-memory data set: one venue, two events of two clients. */
export function createDemoEventStore(): EventPlanningStore {
  return {
    venues: [{ id: 'venue-1', name: 'Harbour Hall', city: 'Lisbon' }],
    events: [
      {
        id: 'event-1',
        venueId: 'venue-1',
        clientId: 'client-1',
        name: 'Ana & Rui wedding',
        date: '2027-06-12',
        guestCount: 120,
        budget: 25_000,
        elements: [{ name: 'String quartet', status: 'confirmed' }],
      },
      {
        id: 'event-2',
        venueId: 'venue-1',
        clientId: 'client-2',
        name: 'Acme summer party',
        date: '2027-07-03',
        guestCount: 300,
        budget: 40_000,
        elements: [],
      },
    ],
    catalogue: [
      { venueId: 'venue-1', name: 'String quartet', price: 1_200 },
      { venueId: 'venue-1', name: 'Photo booth', price: 450 },
      { venueId: 'venue-1', name: 'Late-night buffet', price: 2_000 },
    ],
    guests: [{ eventId: 'event-1', name: 'Maria Silva', email: 'maria@example.com' }],
    contracts: [
      { eventId: 'event-1', total: 18_500, signed: true, terms: '30% deposit, balance 14 days before' },
    ],
    changeRequests: [],
    vendors: [{ id: 'vendor-1', venueId: 'venue-1', name: 'Bloom Florists', service: 'flowers' }],
    tasks: [
      { id: 'task-1', venueId: 'venue-1', eventId: 'event-2', title: 'Confirm stage size', done: false },
    ],
    messages: [
      { venueId: 'venue-1', eventId: 'event-2', to: 'client-2', text: 'Your stage plan arrived, thanks!' },
    ],
  };
}

/** Data loaders injected into the context builders (an app backs them with its database). */
export interface EventPlanningLoaders {
  loadEvent(eventId: string): Promise<PlannedEvent | undefined>;
  loadVenue(venueId: string): Promise<{ id: string; name: string; city: string } | undefined>;
  listVenueEvents(venueId: string): Promise<PlannedEvent[]>;
}

/** Loaders over the in-memory store. */
export function createEventLoaders(store: EventPlanningStore): EventPlanningLoaders {
  return {
    loadEvent: async (eventId) => store.events.find((event) => event.id === eventId),
    loadVenue: async (venueId) => store.venues.find((venue) => venue.id === venueId),
    listVenueEvents: async (venueId) => store.events.filter((event) => event.venueId === venueId),
  };
}
