#!/usr/bin/env node
// `npm start`: the main job. Until the trax CLI lands (issue "trax CLI") it says what it will do.
console.log('Trax: `npm start` will play the demo setlist headless once the trax CLI lands.');
console.log('For now: `npm test` runs lint, typecheck and every project\'s tests.');
