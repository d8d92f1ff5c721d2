import { mount } from 'svelte';
import './styles/tokens.css';
import './styles/base.css';
import App from './shell/App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('#app missing from index.html');
mount(App, { target });
