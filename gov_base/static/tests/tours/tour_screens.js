/**
 * A tour step that saves the screen as test-results/screens/<name>.png
 * (with TourScreensMixin of gov_base/tests/tour_screens.py), once
 * `trigger` is shown.
 */
export function screenStep(name, trigger = "body") {
    return {
        content: `Screenshot: ${name}`,
        trigger,
        async run() {
            // let the screen settle, then give the test time to capture it
            await new Promise((resolve) => setTimeout(resolve, 300));
            console.log(`gov-screen:${name}`);
            await new Promise((resolve) => setTimeout(resolve, 700));
        },
    };
}
