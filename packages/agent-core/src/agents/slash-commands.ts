import { RelayKitError } from '@relaykit/sse-protocol';

/** A slash command (`/ptm`, `/lesson`, ...) typed at the start of a message. */
export interface SlashCommand {
  /** The command name without the slash: lowercase letters, digits, `_`, `-`. */
  name: string;
  /** One line shown in command pickers. */
  description: string;
  /** Route the message to this agent type. Without it the routed agent stays as it would be. */
  agent?: string;
  /** Rewrite the text sent to the model; receives the text after the command. Without it the text is kept. */
  prompt?: (argumentsText: string) => string;
}

/** A message with its slash command recognised. */
export interface ParsedSlashCommand {
  command: SlashCommand;
  /** The text after the command (trimmed). */
  argumentsText: string;
  /** The text to send to the model: the command's prompt, or the arguments, or the command itself when bare. */
  text: string;
}

const COMMAND_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const LEADING_COMMAND = /^\/([a-z][a-z0-9_-]{0,31})(?:\s+|$)/i;

/** Checks a command list: valid, unique names. */
export function validateSlashCommands(commands: readonly SlashCommand[]): void {
  const seen = new Set<string>();
  for (const command of commands) {
    if (!COMMAND_NAME.test(command.name)) {
      throw new RelayKitError('configuration', `slash command "${command.name}" must match ${COMMAND_NAME}`);
    }
    if (seen.has(command.name))
      throw new RelayKitError('configuration', `slash command "/${command.name}" is defined twice`);
    seen.add(command.name);
  }
}

/**
 * Recognises a registered command at the very start of the text (`/lesson fractions for year 5`).
 * Text that merely starts with a slash but names no registered command (a path, `/shrug`) is not a command
 * and is returned as `undefined`, so it reaches the model unchanged.
 */
export function parseSlashCommand(
  text: string,
  commands: readonly SlashCommand[],
): ParsedSlashCommand | undefined {
  const match = LEADING_COMMAND.exec(text.trimStart());
  if (!match) return undefined;
  const command = commands.find((candidate) => candidate.name === match[1]!.toLowerCase());
  if (!command) return undefined;
  const argumentsText = text.trimStart().slice(match[0].length).trim();
  // A bare command (`/ptm`) without a prompt keeps its own text: the model must never get an empty message.
  const modelText = command.prompt ? command.prompt(argumentsText) : argumentsText || match[0].trim();
  return { command, argumentsText, text: modelText };
}
