import { createFileRoute, redirect } from '@tanstack/react-router'

// The paddock moved: its loader sends visitors to the home page.
export const Route = createFileRoute('/old-paddock')({
  loader: () => {
    throw redirect({ to: '/' })
  },
})
