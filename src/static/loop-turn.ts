// Numbers the event loop's turns, so that a check can be shared by every request handled within one turn.
let turn = 0;
let advancing = false;

function advance(): void {
  turn++;
  advancing = false;
}

/**
 * The current turn's number. It changes once the poll phase that delivered the current requests is over
 * (setImmediate runs right after it), so requests parsed from one batch of socket reads share a number.
 */
export function currentTurn(): number {
  if (!advancing) {
    advancing = true;
    setImmediate(advance).unref();
  }
  return turn;
}
