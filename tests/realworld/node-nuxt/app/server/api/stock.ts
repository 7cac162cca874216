export default defineEventHandler(() => {
  return { items: 42 }
})
