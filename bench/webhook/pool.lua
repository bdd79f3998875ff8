-- wrk script: send requests prepared in a pool file and count the answers.
--
-- Usage: wrk -t<n> ... -s pool.lua <url> -- <pool file> <n>
-- Each line of the pool file is one POST request: path, body, then
-- "Name: value" headers, separated by tabs. Thread i of n sends lines i,
-- i + n, i + 2n... in order and starts over when it runs out; the caller
-- sizes the pool where a repeated request would matter. done() prints one
-- line "WRK_RESULT <json>" with what was sent, the answers by status and
-- the latency percentiles in microseconds.
local threads = {}

function setup(thread)
   thread:set("index", #threads)
   table.insert(threads, thread)
end

function init(args)
   local count = tonumber(args[2])
   pool = {}
   sent = 0
   statuses = {}
   local line_number = 0
   for line in io.lines(args[1]) do
      if line_number % count == index then
         local fields = {}
         for field in string.gmatch(line, "[^\t]+") do
            table.insert(fields, field)
         end
         local headers = {}
         for i = 3, #fields do
            local name, value = string.match(fields[i], "^([^:]+): (.*)$")
            headers[name] = value
         end
         table.insert(pool, wrk.format("POST", fields[1], headers, fields[2]))
      end
      line_number = line_number + 1
   end
end

function request()
   sent = sent + 1
   return pool[(sent - 1) % #pool + 1]
end

function response(status, headers, body)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
   local total_sent = 0
   local answers = {}
   for _, thread in ipairs(threads) do
      total_sent = total_sent + thread:get("sent")
      for status, count in pairs(thread:get("statuses")) do
         answers[status] = (answers[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(answers) do
      table.insert(parts, string.format('"%s": %d', status, count))
   end
   local errors = summary.errors
   io.write(string.format(
      'WRK_RESULT {"sent": %d, "answered": %d, "duration_us": %d,'
         .. ' "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d,'
         .. ' "mean_us": %.1f, "errors": {"connect": %d, "read": %d,'
         .. ' "write": %d, "timeout": %d}, "statuses": {%s}}\n',
      total_sent, summary.requests, summary.duration,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean, errors.connect, errors.read, errors.write,
      errors.timeout, table.concat(parts, ", ")
   ))
end
