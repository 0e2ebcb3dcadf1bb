-- wrk script of the POST JSON echo case: one small JSON body per request, with a User-Agent the app reads back.
wrk.method = "POST"
wrk.body = '{"name":"corral","n":1,"tags":["a","b"]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "wrk-echo"
