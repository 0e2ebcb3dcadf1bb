// A fetch app that answers with the URL and the forwarding headers it was given.
export default {
  fetch(request) {
    return Response.json({
      url: request.url,
      forwardedFor: request.headers.get('x-forwarded-for'),
      forwardedProto: request.headers.get('x-forwarded-proto'),
      forwarded: request.headers.get('forwarded'),
    });
  },
};
