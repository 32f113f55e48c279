import { createRoot } from 'react-dom/client';
import { stemLoaderMachine, machineIdentity } from '@trax/engine-machines';

createRoot(document.getElementById('root')!).render(<pre>{JSON.stringify(machineIdentity(stemLoaderMachine))}</pre>);
