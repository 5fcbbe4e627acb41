//! Receiving events: the exhaustive handler map, its checker, the
//! dispatcher of parsed messages and, for SSE channels, the subscriber. One
//! item per function.

use indoc::formatdoc;

use super::Family;
use super::syntax::index_access;
use crate::model::Catalog;

/// `IGNORE` and its type: the handler value of a deliberately ignored event.
pub fn ignore() -> [String; 2] {
    [
        formatdoc! {r#"
            /** A handler value that marks an event the client deliberately ignores. */
            export const IGNORE: unique symbol = Symbol("ignore");
        "#},
        formatdoc! {"
            /** The type of {{@link IGNORE}}. */
            export type Ignore = typeof IGNORE;
        "},
    ]
}

/// `BoardHandler<K>`: handles one event type.
pub fn handler_type(catalog: &Catalog, family: &Family) -> String {
    let Family {
        kind,
        payloads,
        envelope_of,
        ..
    } = family;
    formatdoc! {"
        /** Handles one event type: receives the payload and the whole envelope. */
        export type {handler}<K extends {kind}> = (payload: {payloads}[K], envelope: {envelope_of}<K>) => void;
        ",
        handler = catalog.type_name("Handler"),
    }
}

/// `BoardHandlers`: one entry per event type.
pub fn handlers_type(catalog: &Catalog, family: &Family) -> String {
    formatdoc! {"
        /**
         * One entry per event type, each a handler or {{@link IGNORE}}: a missing
         * event is a compile error, so ignoring an event is a decision.
         */
        export type {handlers} = {{ readonly [K in {kind}]: {handler}<K> | Ignore }};
        ",
        handlers = catalog.type_name("Handlers"),
        handler = catalog.type_name("Handler"),
        kind = family.kind,
    }
}

/// `defineBoardHandlers`: rejects entries for event types that do not exist.
pub fn define_handlers(catalog: &Catalog, family: &Family) -> String {
    formatdoc! {"
        /**
         * Checks a handler map at compile time, rejecting entries for event types
         * that do not exist (which an object literal alone only catches inline).
         */
        export function define{ident}Handlers<H extends {handlers}>(
          handlers: H & {{ readonly [K in Exclude<keyof H, {kind}>]: never }},
        ): {handlers} {{
          return handlers;
        }}
        ",
        ident = catalog.channel_ident,
        handlers = catalog.type_name("Handlers"),
        kind = family.kind,
    }
}

/// `isBoardEventType` and the set it reads.
pub fn type_guard(family: &Family) -> [String; 2] {
    let Family {
        constant,
        kind,
        noun,
        ..
    } = family;
    [
        formatdoc! {"
            const {constant}_TYPE_SET: ReadonlySet<string> = new Set<string>({constant}_TYPES);
        "},
        formatdoc! {r#"
            /** Whether `name` is a{article} {noun} type of this channel (own names only, never prototype keys). */
            export function is{kind}(name: unknown): name is {kind} {{
              return typeof name === "string" && {constant}_TYPE_SET.has(name);
            }}
            "#,
            article = crate::render::article(noun),
        },
    ]
}

/// `BoardDispatchOptions`: validation on or off, and where rejections go.
pub fn dispatch_options(catalog: &Catalog) -> String {
    formatdoc! {"
        /** How `dispatch{ident}Event` treats messages. */
        export interface {ident}DispatchOptions {{
          /** Skips validation: only for messages from a source that is already checked. */
          readonly trusted?: boolean;
          /** Receives each message that fails validation, with the reason, before it is dropped. */
          readonly onInvalid?: (error: {ident}ValidationError, message: unknown) => void;
        }}
        ",
        ident = catalog.channel_ident,
    }
}

/// `dispatchBoardEvent`: validates a message and calls its handler.
pub fn dispatcher(catalog: &Catalog, family: &Family) -> String {
    let payload = match &catalog.envelope.payload_field {
        // A message without its payload carries an empty one.
        Some(field) if catalog.envelope.omit_empty_payload => {
            format!("message{} ?? {{}}", index_access(field))
        }
        Some(field) => format!("message{}", index_access(field)),
        // A flat message is its own payload.
        None => "message".to_string(),
    };
    formatdoc! {r#"
        /**
         * Checks a message read with `decode{ident}Event` against its schemas and
         * calls its handler; returns whether one ran. A message that fails goes to
         * `options.onInvalid` and no handler sees it. Unknown event types (a newer
         * server) and ignored events return `false` quietly. The protocol version
         * is not compared: it only changes with a breaking envelope change, which
         * clients can branch on through the envelope the handler receives.
         */
        export function dispatch{ident}Event(handlers: {handlers}, message: unknown, options: {ident}DispatchOptions = {{}}): boolean {{
          if (isJsonObject(message) && typeof message[{type_key}] === "string" && !is{kind}(message[{type_key}])) {{
            return false;
          }}
          const error = options.trusted === true ? undefined : check{ident}Event(message);
          if (error !== undefined) {{
            options.onInvalid?.(error, message);
            return false;
          }}
          if (!isJsonObject(message)) {{
            return false;
          }}
          const eventType = message{type_field};
          const payload = {payload};
          if (!is{kind}(eventType) || !isJsonObject(payload)) {{
            return false;
          }}
          const handler = handlers[eventType];
          if (typeof handler !== "function") {{
            return false;
          }}
          (handler as (payload: unknown, envelope: unknown) => void)(payload, message);
          return true;
        }}
        "#,
        ident = catalog.channel_ident,
        handlers = catalog.type_name("Handlers"),
        type_field = index_access(&catalog.envelope.type_field),
        type_key = crate::render::typescript::syntax::string_literal(&catalog.envelope.type_field),
        kind = family.kind,
    }
}

/// What the SSE helpers need of an `EventSource`: its messages and listeners.
pub fn sse_types(catalog: &Catalog) -> [String; 2] {
    let ident = &catalog.channel_ident;
    [
        formatdoc! {"
            /** A Server-Sent Event as an `EventSource` delivers it. */
            export interface {ident}SseMessage {{
              readonly type: string;
              readonly data: unknown;
            }}
        "},
        formatdoc! {"
            /** What the subscriber needs of an `EventSource`. */
            export interface {ident}SseSource {{
              addEventListener(type: string, listener: (event: {ident}SseMessage) => void): void;
              removeEventListener(type: string, listener: (event: {ident}SseMessage) => void): void;
            }}
        "},
    ]
}

/// `dispatchBoardSseEvent`: one Server-Sent Event whose data is the envelope.
pub fn sse_dispatcher(catalog: &Catalog) -> String {
    formatdoc! {r#"
        /**
         * Dispatches one Server-Sent Event whose `data` is the envelope JSON. A
         * named event must agree with the envelope's type; malformed data returns
         * `false` without throwing.
         */
        export function dispatch{ident}SseEvent(handlers: {handlers}, event: {ident}SseMessage, options: {ident}DispatchOptions = {{}}): boolean {{
          if (typeof event.data !== "string") {{
            return false;
          }}
          let message: unknown;
          try {{
            message = decode{ident}Event(event.data);
          }} catch {{
            return false;
          }}
          if (event.type !== "message") {{
            const named = typeof message === "object" && message !== null ? (message as {{ readonly [key: string]: unknown }}){type_field} : undefined;
            if (named !== event.type) {{
              return false;
            }}
          }}
          return dispatch{ident}Event(handlers, message, options);
        }}
        "#,
        ident = catalog.channel_ident,
        handlers = catalog.type_name("Handlers"),
        type_field = index_access(&catalog.envelope.type_field),
    }
}

/// `subscribeBoardSse`: a named SSE event never reaches `onmessage`, so the
/// subscriber listens for every event type by name.
pub fn sse_subscriber(catalog: &Catalog, family: &Family) -> String {
    formatdoc! {r#"
        /**
         * Listens on an `EventSource` for every event type of the channel (and for
         * unnamed messages) and dispatches each; returns a function that stops.
         */
        export function subscribe{ident}Sse(source: {ident}SseSource, handlers: {handlers}, options: {ident}DispatchOptions = {{}}): () => void {{
          const listener = (event: {ident}SseMessage): void => {{
            dispatch{ident}SseEvent(handlers, event, options);
          }};
          const names = ["message", ...{constant}_TYPES];
          for (const name of names) {{
            source.addEventListener(name, listener);
          }}
          return () => {{
            for (const name of names) {{
              source.removeEventListener(name, listener);
            }}
          }};
        }}
        "#,
        ident = catalog.channel_ident,
        handlers = catalog.type_name("Handlers"),
        constant = family.constant,
    }
}
