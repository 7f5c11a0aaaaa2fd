import { benchWebChat } from './web-chat.js';
console.log(await benchWebChat());
