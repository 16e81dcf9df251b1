/** Metadata that a source attaches to a payload, such as response headers. */
export type PayloadMetadata = Readonly<Record<string, string>>;

/** The spool settings: the folder where streamed bodies are copied so a destination retry can read them again. */
export interface SpoolOptions {
  /** The folder for spool files; each is removed when its run ends. */
  dir: string;
}

export const kRelease = Symbol('deltav.payload.release');
export const kReplayable = Symbol('deltav.payload.replayable');

/** Payload operations that the run loop uses and plugins never see. */
export interface PayloadInternals {
  /** Stops the source stream and removes any spool file. */
  [kRelease](): Promise<void>;
  /** Whether another read would return the whole body again. */
  [kReplayable](): boolean;
}
