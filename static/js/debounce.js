/** One debouncer for every page: `call()` runs `fn` once, `delay` ms after the last call; `cancel()` drops it. */
export function debounce(fn, delay) {
  let timer = null;
  const call = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, delay);
  };
  call.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  call.pending = () => timer !== null;
  return call;
}
