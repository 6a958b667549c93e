// Server-sent events over fetch, so a token or key can travel in a header (EventSource cannot send headers).
import { apiKey } from "./api.js";

/**
 * Reads the event stream at path and calls onEvent(name, data) for each event; reconnects after a drop.
 * Returns a function that stops it.
 */
export function subscribe(path, onEvent, onStatus) {
  let stopped = false;
  let controller = null;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { Accept: "text/event-stream" };
        if (apiKey()) headers["X-Api-Key"] = apiKey(); // else the session cookie goes along
        const response = await fetch(path, { headers, signal: controller.signal });
        if (!response.ok) {
          onStatus?.(`HTTP ${response.status}`);
          await delay(3000);
          continue;
        }
        onStatus?.("live");
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let name = "message";
            const data = [];
            for (const line of block.split("\n")) {
              if (line.startsWith("event:")) name = line.slice(6).trim();
              else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
            }
            if (data.length) onEvent(name, data.join("\n"));
          }
        }
        onStatus?.("reconnecting");
      } catch (e) {
        if (stopped) return;
        onStatus?.("reconnecting");
      }
      await delay(1000);
    }
  }
  run();
  return () => { stopped = true; controller?.abort(); };
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));
