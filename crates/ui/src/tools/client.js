// The page's side of the tools worker (see client.rs for the contract). One worker, started
// on first need; requests made before it says it is ready wait in a queue; if it cannot load
// or stops, every waiting job is rejected with a sentence and the next job starts a new one.

const STOPPED = 'The import and export tools could not run';

let worker = null;
let ready = false;
let queue = [];
let deadline = 0;
let nextId = 1;
const pending = new Map();

function stop(detail) {
  if (!worker) return;
  worker.terminate();
  worker = null;
  clearTimeout(deadline);
  queue = [];
  const error = `${STOPPED}: ${detail}.`;
  for (const job of pending.values()) job.reject(error);
  pending.clear();
}

function received(data) {
  if (data && data.ready === true) {
    ready = true;
    clearTimeout(deadline);
    for (const message of queue) worker.postMessage(message);
    queue = [];
    return;
  }
  const job = pending.get(data && data.id);
  if (job) {
    pending.delete(data.id);
    job.resolve(data);
  }
}

function connect(url, readyWithinMs) {
  if (worker) return worker;
  worker = new Worker(url);
  ready = false;
  worker.onmessage = (event) => received(event.data);
  worker.onerror = (event) => {
    // Handled here: the page reports it in words, not as an uncaught error.
    event.preventDefault();
    stop(event.message || 'the worker stopped');
  };
  worker.onmessageerror = () => stop('a reply could not be read');
  deadline = setTimeout(
    () => stop(`they did not load within ${readyWithinMs / 1000} seconds`),
    readyWithinMs,
  );
  return worker;
}

export function tools_warm_up(url, readyWithinMs) {
  try {
    connect(url, readyWithinMs);
  } catch (error) {
    console.warn(`${STOPPED}: ${error && error.message}`);
  }
}

export function tools_run(url, readyWithinMs, message) {
  return new Promise((resolve, reject) => {
    try {
      const target = connect(url, readyWithinMs);
      message.id = nextId++;
      pending.set(message.id, { resolve, reject });
      if (ready) target.postMessage(message);
      else queue.push(message);
    } catch (error) {
      reject(`${STOPPED}: ${(error && error.message) || error}.`);
      stop('the request could not be sent');
    }
  });
}
