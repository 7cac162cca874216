import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.get('/', (c) => c.text(`mise pinned node ${process.versions.node.split('.')[0]}`))

serve({ fetch: app.fetch, port: 3000 })
